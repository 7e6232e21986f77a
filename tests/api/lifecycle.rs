//! A letter's life cycle as its organizers and readers see it (#15): an
//! embargo hides everything until its time, a scheduled closing takes
//! effect at its instant, everywhere, and reopening after it reopens for
//! good.

use crate::helpers::{spawn_app, wait_until, TestApp};
use crate::workspace::{create_letter, organizer, Org};
use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use std::time::Duration;
use undersigned::db::schema::{audit_log, letters};

fn set_close_at(app: &TestApp, slug: &str, at: Option<NaiveDateTime>) {
    app.with_conn(|c| {
        diesel::update(letters::table.filter(letters::slug.eq(slug)))
            .set(letters::close_at.eq(at))
            .execute(c)
            .unwrap()
    });
}

fn stored(app: &TestApp, slug: &str) -> (String, Option<NaiveDateTime>) {
    app.with_conn(|c| {
        letters::table
            .filter(letters::slug.eq(slug))
            .select((letters::status, letters::close_at))
            .first(c)
            .unwrap()
    })
}

fn maintenance_pass(app: &TestApp) -> undersigned::jobs::PassReport {
    let config = undersigned::jobs::MaintenanceConfig {
        interval: Duration::from_secs(3600),
        confirm_ttl: Duration::from_secs(7 * 86_400),
        anonymise_after_days: None,
    };
    undersigned::jobs::run_once(&mut app.conn(), &config).unwrap()
}

/// What the API, the dashboard and the public page each say of the letter.
async fn seen(app: &TestApp, org: &Org, ws: &str, slug: &str) -> (String, bool, bool, bool) {
    let json: serde_json::Value = app
        .get(&format!("/api/v1/letters/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    let (_, dashboard) = org.get(ws).await;
    let (_, page) = app.get_html(&format!("/letters/{slug}")).await;
    (
        json["status"].as_str().unwrap_or_default().to_string(),
        dashboard.contains("value=\"close\""),
        dashboard.contains("value=\"reopen\""),
        page.contains("name=\"email\""),
    )
}

async fn sign(app: &TestApp, slug: &str, email: &str) -> u16 {
    app.sign(
        slug,
        &[
            ("name", "Ada Lovelace"),
            ("email", email),
            ("visibility", "public"),
            ("consent", "yes"),
        ],
    )
    .await
    .status()
    .as_u16()
}

#[actix_web::test]
async fn a_scheduled_closing_takes_effect_at_its_instant_everywhere() {
    let app = spawn_app().await;
    let org = organizer(&app, "horaire@example.org", false).await;
    let slug = "fermeture-programmee";
    let ws = create_letter(&org, slug).await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let r = org
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "2099-01-01T00:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // The closing draws near; the page is read (and kept) while open.
    // Whole milliseconds: both databases keep them exactly.
    let at = (undersigned::db::now() + chrono::Duration::milliseconds(1500)).trunc_subsecs(3);
    set_close_at(&app, slug, Some(at));
    assert_eq!(
        seen(&app, &org, &ws, slug).await,
        ("published".into(), true, false, true)
    );

    // The instant passes. No maintenance pass has run, nothing was
    // invalidated: every view says closed at once.
    let wait = (at - undersigned::db::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(50)).await;
    assert_eq!(
        seen(&app, &org, &ws, slug).await,
        ("closed".into(), false, true, false)
    );
    assert_eq!(sign(&app, slug, "trop-tard@example.org").await, 409);

    // The schedule thread writes it down within a second, and the audit
    // log has it, at its instant, done by the service.
    wait_until("the closing written down", || {
        (stored(&app, slug).0 == "closed").then_some(())
    })
    .await;
    let (by, when): (Option<String>, NaiveDateTime) = app.with_conn(|c| {
        audit_log::table
            .filter(audit_log::action.eq("letter-close"))
            .select((audit_log::organizer_id, audit_log::created_at))
            .first(c)
            .unwrap()
    });
    assert_eq!(by, None);
    assert_eq!(when, at);
    let (_, audit) = org.get(&format!("{ws}/audit")).await;
    assert!(audit.contains("Le service a fermé les signatures."), "{audit}");

    // Reopening reopens, and the schedule that closed it is gone: the next
    // pass leaves the letter open.
    let r = org.post(&format!("{ws}/status"), &[("action", "reopen")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stored(&app, slug), ("published".into(), None));
    assert_eq!(maintenance_pass(&app).closed_letters, 0);
    assert_eq!(
        seen(&app, &org, &ws, slug).await,
        ("published".into(), true, false, true)
    );
    assert_eq!(sign(&app, slug, "a-temps@example.org").await, 303);
}

/// Reopening a letter that its schedule closed, before any pass wrote it
/// down, is allowed (the dashboard offers it) and holds.
#[actix_web::test]
async fn reopening_before_the_pass_holds() {
    let app = spawn_app().await;
    let org = organizer(&app, "rouvrir@example.org", false).await;
    let slug = "rouvrir-avant";
    let ws = create_letter(&org, slug).await;
    org.post(&format!("{ws}/publish"), &[]).await;
    set_close_at(
        &app,
        slug,
        Some(undersigned::db::now() - chrono::Duration::minutes(5)),
    );
    assert_eq!(
        seen(&app, &org, &ws, slug).await,
        ("closed".into(), false, true, false)
    );
    // Closing again is not on offer, whatever the route.
    let r = org.post(&format!("{ws}/status"), &[("action", "close")]).await;
    assert_eq!(r.status().as_u16(), 400);
    let r = org.post(&format!("{ws}/status"), &[("action", "reopen")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(maintenance_pass(&app).closed_letters, 0);
    assert_eq!(stored(&app, slug), ("published".into(), None));
    assert_eq!(
        seen(&app, &org, &ws, slug).await,
        ("published".into(), true, false, true)
    );

    // Closing by hand ends a schedule too.
    let r = org
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "2099-01-01T00:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    org.post(&format!("{ws}/status"), &[("action", "close")]).await;
    assert_eq!(stored(&app, slug), ("closed".into(), None));
}

/// An embargo: until its time the letter is a draft and nothing of it is
/// public, through any route; at its time it appears by itself, with its
/// first signatories, recorded as the service's publication.
#[actix_web::test]
async fn an_embargoed_letter_shows_nothing_until_its_time_then_appears() {
    let app = spawn_app().await;
    let org = organizer(&app, "embargo@example.org", false).await;
    let slug = "sous-embargo";
    let ws = create_letter(&org, slug).await;
    let r = org
        .post(
            &format!("{ws}/import"),
            &[
                ("text", "Marie Tremblay\nPrésidente du Mouvement X"),
                ("step", "save"),
            ],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());

    let typed = |at: &'static str| {
        let (org, ws) = (&org, &ws);
        async move {
            let r = org
                .post(
                    &format!("{ws}/publish"),
                    &[("action", "schedule"), ("publish_at", at)],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let schedule = |at: &'static str| async move { typed(at).await.0 };
    // A refused time comes back on the publish page, as typed, with its
    // reason beside the field.
    let (status, page) = typed("2020-01-01T06:00").await;
    assert_eq!(status, 422, "a time past");
    assert!(page.contains("Ce moment est déjà passé"), "{page}");
    assert!(page.contains("value=\"2020-01-01T06:00\""), "{page}");
    assert!(page.contains("id=\"publish_at-error\""), "{page}");
    let (status, page) = typed("pas une heure").await;
    assert_eq!(status, 422);
    assert!(
        page.contains("value=\"pas une heure\"") && page.contains("AAAA-MM-JJ"),
        "{page}"
    );
    // A year past 9999 would compare as text out of order in SQLite, and
    // publish at once.
    assert_eq!(schedule("+10000-01-01T00:00").await, 422);
    // Only the page's two buttons: an unknown action publishes nothing.
    let r = org
        .post(&format!("{ws}/publish"), &[("action", "plus-tard")])
        .await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(stored(&app, slug).0, "draft");
    assert_eq!(stored_publish_at(&app, slug), None, "refused: nothing stored");
    assert_eq!(schedule("2099-06-01T06:00").await, 303);
    let (_, dashboard) = org.get(&ws).await;
    assert!(
        dashboard.contains("Publication programmée le 2099-06-01 06:00"),
        "{dashboard}"
    );
    // The dashboard's cancel button sends an empty time.
    assert!(
        dashboard.contains("name=\"publish_at\" value=\"\""),
        "{dashboard}"
    );
    assert_eq!(schedule("").await, 303);
    assert_eq!(stored_publish_at(&app, slug), None);
    let (_, dashboard) = org.get(&ws).await;
    assert!(!dashboard.contains("Publication programmée"), "{dashboard}");
    assert_eq!(schedule("2099-06-01T06:00").await, 303);

    // The embargo ends in a moment.
    let at = (undersigned::db::now() + chrono::Duration::milliseconds(1500)).trunc_subsecs(3);
    app.with_conn(|c| {
        diesel::update(letters::table.filter(letters::slug.eq(slug)))
            .set(letters::publish_at.eq(Some(at)))
            .execute(c)
            .unwrap()
    });
    let public = [
        format!("/letters/{slug}"),
        format!("/letters/{slug}/signatories"),
        format!("/letters/{slug}/versions"),
        format!("/letters/{slug}/embed"),
        format!("/letters/{slug}/card.svg"),
        format!("/letters/{slug}/export.csv"),
        format!("/letters/{slug}/check-email"),
        format!("/api/v1/letters/{slug}"),
    ];
    for path in &public {
        assert_eq!(app.get_html(path).await.0, 404, "{path} before the embargo ends");
    }
    assert!(!app.get_html("/").await.1.contains(slug));
    assert!(!app.get_html("/api/v1/letters").await.1.contains(slug));
    assert_eq!(sign(&app, slug, "trop-tot@example.org").await, 404);

    // It appears by itself, with its first signatories.
    wait_until("the letter to appear", || {
        (stored(&app, slug).0 == "published").then_some(())
    })
    .await;
    // The server drops its copy of the draft right after the commit this
    // test has just seen: the page follows within moments.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let (status, page) = loop {
        let got = app.get_html(&format!("/letters/{slug}")).await;
        if got.0 == 200 || std::time::Instant::now() > deadline {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(status, 200);
    assert!(
        page.contains("Marie Tremblay") && page.contains("name=\"email\""),
        "{page}"
    );
    for path in &public[..5] {
        assert_eq!(app.get_html(path).await.0, 200, "{path} once published");
    }
    assert!(app.get_html("/").await.1.contains(slug));
    assert!(app.get_html("/api/v1/letters").await.1.contains(slug));
    assert_eq!(stored_publish_at(&app, slug), None);
    let (by, when): (Option<String>, NaiveDateTime) = app.with_conn(|c| {
        audit_log::table
            .filter(audit_log::action.eq("letter-published"))
            .select((audit_log::organizer_id, audit_log::created_at))
            .first(c)
            .unwrap()
    });
    assert_eq!((by, when), (None, at));
    let published_at: Option<NaiveDateTime> = app.with_conn(|c| {
        letters::table
            .filter(letters::slug.eq(slug))
            .select(letters::published_at)
            .first(c)
            .unwrap()
    });
    assert_eq!(published_at, Some(at));
    // Scheduling a letter already published is refused.
    assert_eq!(schedule("2099-06-01T06:00").await, 400);
}

fn stored_publish_at(app: &TestApp, slug: &str) -> Option<NaiveDateTime> {
    app.with_conn(|c| {
        letters::table
            .filter(letters::slug.eq(slug))
            .select(letters::publish_at)
            .first(c)
            .unwrap()
    })
}
