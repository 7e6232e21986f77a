//! A full disk under the SQLite database: signatures the disk cannot hold
//! are refused with a 503 and the form as typed, none that was accepted
//! is lost, and signing resumes once there is room.

use crate::helpers::{extract_form_token, spawn_app_with, EXAMPLE_SLUG};
use diesel::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use undersigned::db::schema::signatures;
use undersigned::db::DatabaseUrl;

/// A small tmpfs, mounted for the test and unmounted after it.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Result<SmallDisk, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left, and returns the file that holds it.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let chunk = vec![0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[actix_web::test]
async fn a_full_disk_refuses_signatures_with_503_and_loses_none() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        eprintln!("SKIPPED: the full-disk test fills SQLite's disk; PostgreSQL keeps its files elsewhere");
        return;
    }
    let disk = match SmallDisk::mount(8) {
        Ok(disk) => disk,
        Err(e) => {
            eprintln!(
                "SKIPPED: THE FULL-DISK TEST DID NOT RUN: cannot mount a tmpfs here ({e}); it needs root or CAP_SYS_ADMIN"
            );
            return;
        }
    };
    let database = disk.path().join("full.db");
    let app = spawn_app_with(|s| s.database_url = DatabaseUrl::Sqlite(database.clone())).await;
    let r = app.sign_as("Avant Plein", "avant-plein@example.org").await;
    assert_eq!(r.status().as_u16(), 303);

    let filler = disk.fill();
    // The WAL reuses room it already has, so the first signatures may
    // still fit: sign until the disk refuses one.
    let mut accepted = vec!["avant-plein@example.org".to_string()];
    let mut refused = None;
    for i in 0..2000 {
        let email = format!("plein{i}@example.org");
        let token = app.form_token(EXAMPLE_SLUG).await;
        let fields = [
            ("name", "Disque Plein"),
            ("email", email.as_str()),
            ("titles", "Trésorière de la Coop du Plateau"),
            ("visibility", "public"),
            ("consent", "yes"),
            ("form_token", token.as_str()),
        ];
        let r = app
            .post_form(&format!("/letters/{EXAMPLE_SLUG}/sign"), &fields)
            .await;
        match r.status().as_u16() {
            303 => accepted.push(email),
            503 => {
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                refused = Some((email, retry, r.text().await.unwrap()));
                break;
            }
            other => panic!("{email}: {other} on a full disk: {}", r.text().await.unwrap()),
        }
    }
    let (email, retry, body) = refused.expect("the full disk refused a signature");
    assert_eq!(retry.as_deref(), Some("5"));
    // The form comes back as typed, with a new token to send it again.
    assert!(body.contains("momentanément indisponible"), "{body}");
    assert!(body.contains(&format!("value=\"{email}\"")), "{body}");
    assert!(body.contains("Trésorière de la Coop du Plateau"), "{body}");
    assert!(extract_form_token(&body).is_some());

    std::fs::remove_file(&filler).expect("make room");
    let r = app.sign_as("Disque Plein", &email).await;
    assert_eq!(r.status().as_u16(), 303, "signing again once there is room");
    accepted.push(email);

    let stored: Vec<String> = app.with_conn(|c| {
        signatures::table
            .select(signatures::email)
            .load::<Option<String>>(c)
            .unwrap()
            .into_iter()
            .flatten()
            .collect()
    });
    let lost: Vec<&String> = accepted.iter().filter(|e| !stored.contains(e)).collect();
    println!(
        "full disk on SQLite: {} accepted, 1 refused with 503 and signed again after, {} lost",
        accepted.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "{lost:?}");
    drop(app);
}
