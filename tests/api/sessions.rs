//! Workspace sessions end when they should, on the server: a copy of the
//! cookie is worth nothing after sign-out, a password reset, an account
//! being disabled, or the session's absolute lifetime. And sign-in is
//! throttled per account as well as per client address.

use crate::helpers::{spawn_app_with, TestApp};
use crate::workspace::{extract, PASSWORD};
use reqwest::cookie::{CookieStore, Jar};
use std::sync::Arc;
use std::time::Duration;
use undersigned::config::Settings;
use undersigned::db::organizers::{self, CreateOutcome};
use undersigned::web::limits::Limit;

/// A browser whose cookies can be read, so a test can play someone who
/// copied them.
struct Browser {
    client: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser::at(&app.address)
    }

    fn at(base: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_provider(jar.clone())
                .build()
                .unwrap(),
            jar,
            base: base.to_string(),
        }
    }

    fn workspace_url(&self) -> reqwest::Url {
        format!("{}/workspace", self.base).parse().unwrap()
    }

    /// Another browser holding a copy of this one's cookies as they are now,
    /// sent as they are whatever expiry they carried.
    fn copy(&self) -> Browser {
        let copy = Browser::at(&self.base);
        let url = self.workspace_url();
        let header = self
            .jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        for pair in header.split("; ").filter(|p| !p.is_empty()) {
            copy.jar.add_cookie_str(&format!("{pair}; Path=/"), &url);
        }
        copy
    }

    /// Status, `Location` and body of a GET.
    async fn get(&self, path: &str) -> (u16, String, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }

    async fn csrf(&self) -> String {
        let (_, _, body) = self.get("/workspace/sign-in").await;
        extract(&body, "csrf").expect("a csrf field")
    }

    async fn post_from(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        forwarded_for: Option<&str>,
    ) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut form = fields.to_vec();
        form.push(("csrf", &csrf));
        let mut req = self.client.post(format!("{}{path}", self.base)).form(&form);
        if let Some(xff) = forwarded_for {
            req = req.header("X-Forwarded-For", xff);
        }
        req.send().await.unwrap()
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_from(path, fields, None).await
    }

    async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/workspace/sign-in", &[("email", email), ("password", password)])
            .await
    }

    /// True when the workspace opens; false when it sends to sign-in.
    async fn signed_in(&self) -> bool {
        match self.get("/workspace").await {
            (200, _, _) => true,
            (303, location, _) => {
                assert_eq!(location, "/workspace/sign-in");
                false
            }
            (status, _, body) => panic!("unexpected {status}: {body}"),
        }
    }
}

/// Creates an account and chooses its password through the setup link,
/// which signs the browser in.
async fn account(app: &TestApp, email: &str, admin: bool) -> Browser {
    let setup = match app
        .with_tx(|c| organizers::create(c, email, admin, undersigned::db::now()))
        .unwrap()
    {
        CreateOutcome::Created { setup, .. } => setup,
        CreateOutcome::AlreadyExists => panic!("{email} exists"),
    };
    let b = Browser::new(app);
    let path = format!("/workspace/setup/{}", setup.as_str());
    let r = b
        .post(&path, &[("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert!(b.signed_in().await);
    b
}

async fn app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(configure).await
}

#[actix_web::test]
async fn a_cookie_copied_before_sign_out_is_refused_after_it() {
    let app = app_with(|_| {}).await;
    let org = account(&app, "ada@example.org", false).await;
    let thief = org.copy();
    assert!(thief.signed_in().await, "the copy works while the session lives");

    let r = org.post("/workspace/sign-out", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!org.signed_in().await);
    assert!(!thief.signed_in().await, "sign-out ended the session itself");
    assert_eq!(
        session_rows(&app, "ada@example.org"),
        (0, 1),
        "ended, on the server"
    );

    // Signing in again makes a new session; the old copy stays dead.
    assert_eq!(
        org.sign_in("ada@example.org", PASSWORD).await.status().as_u16(),
        303
    );
    assert!(org.signed_in().await);
    assert!(!thief.signed_in().await);
    assert_eq!(session_rows(&app, "ada@example.org"), (1, 1));
}

#[actix_web::test]
async fn a_password_reset_ends_every_session_of_the_account() {
    let app = app_with(|_| {}).await;
    let first = account(&app, "oubli@example.org", false).await;
    let second = Browser::new(&app);
    assert_eq!(
        second
            .sign_in("oubli@example.org", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    let stolen = second.copy();
    let bystander = account(&app, "autre@example.org", false).await;
    assert!(first.signed_in().await && second.signed_in().await && stolen.signed_in().await);
    assert_eq!(session_rows(&app, "oubli@example.org"), (2, 0));

    let anon = Browser::new(&app);
    let r = anon
        .post("/workspace/forgot", &[("email", "oubli@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let mail = app.wait_for_file_emails("oubli@example.org", 1).await.remove(0);
    let path = mail
        .link("/workspace/setup/")
        .trim_start_matches(&app.address)
        .to_string();
    let r = anon
        .post(
            &path,
            &[
                ("password", "un tout nouveau secret"),
                ("password2", "un tout nouveau secret"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    assert!(
        anon.signed_in().await,
        "who reset the password is signed in afresh"
    );
    assert!(!first.signed_in().await, "an earlier session is over");
    assert!(!second.signed_in().await, "every earlier session is over");
    assert!(!stolen.signed_in().await, "and so is any copy of one");
    assert!(bystander.signed_in().await, "other accounts keep theirs");
    assert_eq!(
        session_rows(&app, "oubli@example.org"),
        (1, 2),
        "only the session opened by the reset is open"
    );
    assert_eq!(session_rows(&app, "autre@example.org"), (1, 0));
}

/// Moves the account's sessions back in time, as if they had been opened
/// `created` minutes ago and last used `seen` minutes ago; says how many.
fn age_sessions(app: &TestApp, email: &str, created: i64, seen: i64) -> usize {
    use diesel::prelude::*;
    use undersigned::db::schema::sessions;
    let id = app
        .with_conn(|c| organizers::find_by_email(c, email))
        .unwrap()
        .unwrap()
        .id;
    let now = undersigned::db::now();
    app.with_conn(|c| {
        diesel::update(sessions::table.filter(sessions::organizer_id.eq(&id)))
            .set((
                sessions::created_at.eq(now - chrono::Duration::minutes(created)),
                sessions::last_seen_at.eq(now - chrono::Duration::minutes(seen)),
            ))
            .execute(c)
    })
    .unwrap()
}

/// (open, ended) session rows of an account.
fn session_rows(app: &TestApp, email: &str) -> (usize, usize) {
    use diesel::prelude::*;
    use undersigned::db::schema::{organizers as o, sessions};
    let ended: Vec<Option<chrono::NaiveDateTime>> = app
        .with_conn(|c| {
            sessions::table
                .inner_join(o::table)
                .filter(o::email.eq(email))
                .select(sessions::ended_at)
                .load(c)
        })
        .unwrap();
    let open = ended.iter().filter(|e| e.is_none()).count();
    (open, ended.len() - open)
}

fn last_seen(app: &TestApp, email: &str) -> Vec<chrono::NaiveDateTime> {
    use diesel::prelude::*;
    use undersigned::db::schema::{organizers as o, sessions};
    app.with_conn(|c| {
        sessions::table
            .inner_join(o::table)
            .filter(o::email.eq(email))
            .select(sessions::last_seen_at)
            .load(c)
    })
    .unwrap()
}

#[actix_web::test]
async fn a_session_has_an_absolute_lifetime_even_when_busy() {
    let app = app_with(|s| s.session_lifetime = Duration::from_secs(3600)).await;
    let org = account(&app, "vite@example.org", false).await;
    // Opened 59 minutes ago and used a moment ago: still on.
    assert_eq!(
        age_sessions(&app, "vite@example.org", 59, 0),
        1,
        "one session row"
    );
    let copy = org.copy();
    assert!(copy.signed_in().await);
    // Opened 61 minutes ago, however recently used: over, for every copy.
    assert_eq!(age_sessions(&app, "vite@example.org", 61, 0), 1);
    assert!(!copy.signed_in().await, "a session past its lifetime is over");
    assert!(!org.signed_in().await);
    assert_eq!(
        org.sign_in("vite@example.org", PASSWORD).await.status().as_u16(),
        303
    );
    assert!(org.signed_in().await, "signing in again starts a new one");
}

#[actix_web::test]
async fn idleness_is_judged_on_the_server_and_last_seen_moves_once_a_minute() {
    let app = app_with(|s| s.session_idle = Duration::from_secs(30 * 60)).await;
    let org = account(&app, "calme@example.org", false).await;
    let opened = last_seen(&app, "calme@example.org");
    assert_eq!(opened.len(), 1);
    for _ in 0..3 {
        assert!(org.signed_in().await);
    }
    assert_eq!(
        last_seen(&app, "calme@example.org"),
        opened,
        "no write for requests within the minute"
    );
    age_sessions(&app, "calme@example.org", 10, 2);
    let before = undersigned::db::now();
    assert!(org.signed_in().await);
    let seen = last_seen(&app, "calme@example.org");
    assert!(
        seen[0] >= before,
        "a request after a quiet minute moves last_seen: {seen:?}"
    );
    // A copy used within the idle time stays on; past it, both are over,
    // whatever the cookie says.
    let copy = org.copy();
    age_sessions(&app, "calme@example.org", 40, 29);
    assert!(copy.signed_in().await);
    age_sessions(&app, "calme@example.org", 40, 31);
    assert!(!copy.signed_in().await);
    assert!(!org.signed_in().await);
}

#[actix_web::test]
async fn disabling_an_account_ends_its_sessions_for_good() {
    let app = app_with(|_| {}).await;
    let admin = account(&app, "root@example.org", true).await;
    let member = account(&app, "membre@example.org", false).await;
    let copy = member.copy();
    let id = app
        .with_conn(|c| organizers::find_by_email(c, "membre@example.org"))
        .unwrap()
        .unwrap()
        .id;
    let path = format!("/workspace/organizers/{id}");
    assert_eq!(
        admin
            .post(&path, &[("action", "disable")])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(session_rows(&app, "membre@example.org"), (0, 1));
    assert!(!copy.signed_in().await);
    assert_eq!(
        admin.post(&path, &[("action", "enable")]).await.status().as_u16(),
        303
    );
    assert!(
        !member.signed_in().await,
        "enabling again does not revive a session"
    );
    assert!(!copy.signed_in().await);
    assert_eq!(
        member
            .sign_in("membre@example.org", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(member.signed_in().await);
}

fn throttled(s: &mut Settings, per_address: u32, per_account: u32) {
    s.rate_limits_enabled = true;
    s.limits.sign_in = Limit {
        burst: per_address,
        per_minute: 1,
    };
    s.limits.sign_in_account = Limit {
        burst: per_account,
        per_minute: 1,
    };
    s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

/// Checks a throttled answer: 429, when to come back, the reason in the
/// reader's language, and the address they typed still in the form.
async fn assert_throttled(r: reqwest::Response, typed: &str) {
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&retry), "{retry}");
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Trop de tentatives de connexion")
            && body.contains(&format!("Réessayez dans {retry} seconde")),
        "{body}"
    );
    assert!(body.contains(&format!("value=\"{typed}\"")), "{body}");
}

#[actix_web::test]
async fn sign_in_is_throttled_per_account_across_client_addresses() {
    let app = app_with(|s| throttled(s, 100, 2)).await;
    account(&app, "cible@example.org", false).await;
    let b = Browser::new(&app);
    let from = |i: u32| format!("198.51.100.{i}");
    let attempt = |email: &'static str, password: &'static str, i: u32| {
        let b = &b;
        let from = from(i);
        async move {
            b.post_from(
                "/workspace/sign-in",
                &[("email", email), ("password", password)],
                Some(&from),
            )
            .await
        }
    };
    for i in 0..2 {
        let r = attempt("cible@example.org", "pas le bon mot", i).await;
        assert_eq!(r.status().as_u16(), 422, "attempt {i} is within the burst");
    }
    // From a third address, with different case and spaces, and even with
    // the right password: the account is resting.
    let r = attempt(" CIBLE@example.org ", PASSWORD, 3).await;
    assert_throttled(r, "cible@example.org").await;
    assert!(!b.signed_in().await);

    // An address without an account behaves the same, so the throttle
    // reveals nothing about who has one.
    for i in 10..12 {
        let r = attempt("personne@example.org", "pas le bon mot", i).await;
        assert_eq!(r.status().as_u16(), 422);
    }
    assert_throttled(
        attempt("personne@example.org", "pas le bon mot", 12).await,
        "personne@example.org",
    )
    .await;

    // Another account, from an address already used, is not affected.
    let r = attempt("autre@example.org", "pas le bon mot", 1).await;
    assert_eq!(r.status().as_u16(), 422);
}

#[actix_web::test]
async fn sign_in_is_throttled_per_address_and_the_form_survives() {
    let app = app_with(|s| throttled(s, 2, 100)).await;
    let b = Browser::new(&app);
    for email in ["a@example.org", "b@example.org"] {
        let r = b
            .post_from(
                "/workspace/sign-in",
                &[("email", email), ("password", "pas le bon mot")],
                Some("198.51.100.7"),
            )
            .await;
        assert_eq!(r.status().as_u16(), 422);
    }
    let r = b
        .post_from(
            "/workspace/sign-in",
            &[("email", "c@example.org"), ("password", "pas le bon mot")],
            Some("198.51.100.7"),
        )
        .await;
    assert_throttled(r, "c@example.org").await;
    let r = b
        .post_from(
            "/workspace/sign-in?lang=en",
            &[("email", "c@example.org"), ("password", "pas le bon mot")],
            Some("198.51.100.7"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Too many sign-in attempts. Try again in "),
        "{body}"
    );
    let r = b
        .post_from(
            "/workspace/sign-in",
            &[("email", "c@example.org"), ("password", "pas le bon mot")],
            Some("198.51.100.8"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "another client is not affected");
}
