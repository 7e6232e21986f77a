//! Ways around the trust promises (docs/trust.md) that a red-team pass
//! found after the first fixes, each kept as a test that failed on f427fa0
//! and passes now: approvals of content changed after the organizer looked,
//! disguised protected names, a confirmation racing a withdrawal, the
//! purge, the count after withdrawing an excluded signature, marks after
//! anonymisation, and mail queued before signatures were recorded on it.

use crate::helpers::{spawn_app, spawn_app_with, TestApp, EXAMPLE_SLUG};
use crate::moderation::{ids_in, own_example};
use crate::trust::{manage_link, public_list, sign_with};
use crate::trust::{protect_site_wide, reviewing_owner};
use crate::workspace::organizer;
use diesel::prelude::*;
use undersigned::db::schema::{outbox, signatures};

fn example_id(app: &TestApp) -> undersigned::model::LetterId {
    app.with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap()
        .id
}

/// Promise 3 / "an approval covers the content as it was approved".
/// The organizer reads the queue, the signer rewrites their titles, the
/// organizer clicks "approve" on what they read: the rewritten titles are
/// listed, never seen by anyone. `decide` approves by id, whatever the row
/// holds at that instant.
#[actix_web::test]
async fn approve_publishes_content_edited_after_the_organizer_looked() {
    let app = spawn_app().await;
    let (org, ws) = reviewing_owner(&app).await;
    let mail = sign_with(
        &app,
        "sournois@example.org",
        &[("name", "Paul Sournois"), ("visibility", "public")],
    )
    .await;
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);

    // What the organizer sees and decides on.
    let (_, queue) = org.get(&format!("{ws}/moderation")).await;
    assert!(queue.contains("Paul Sournois") && !queue.contains("Premier ministre"));
    let ids = ids_in(&queue);
    assert_eq!(ids.len(), 1);

    // Meanwhile, the signer rewrites the titles on the manage page.
    let manage = manage_link(&app, "sournois@example.org");
    let r = app
        .post_form_url(
            &manage,
            &[
                ("visibility", "public"),
                ("titles", "Premier ministre du Québec"),
                ("city", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // The organizer approves what they saw.
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "approve"), ("id", &ids[0])],
    )
    .await;
    let listed = public_list(&app, EXAMPLE_SLUG).await;
    assert!(
        listed.iter().all(|(_, titles, _)| titles.is_empty()),
        "titles no organizer ever saw are listed as approved: {listed:?}"
    );
}

/// Promise 3: a protected name waits for an organizer, however it is
/// disguised. An invisible soft hyphen (U+00AD) or zero-width space
/// (U+200B) once split the name into "another" name, and a look-alike
/// Cyrillic "е" (U+0435) was not folded at all; each printed exactly like
/// the protected name and was listed at once.
#[actix_web::test]
async fn a_disguised_protected_name_is_held() {
    let app = spawn_app().await;
    protect_site_wide(&app, "Gilles Vigneault").await;
    for (i, disguised) in [
        "Gilles Vigne\u{AD}ault",
        "Gilles Vigne\u{200B}ault",
        "Gilles Vign\u{0435}ault",
        // Capitals of other scripts, whose lowercase forms imitate nothing
        // Latin: Greek Ν (its ν reads "v"), Cherokee Ꭲ, and Greek Τ beside
        // a Cyrillic е. Each was listed at once (found by a hostile review).
        "GILLES VIG\u{39D}EAULT",
        "GILLES VIGNEAUL\u{13A2}",
        "Gilles Vign\u{0435}aul\u{3A4}",
    ]
    .into_iter()
    .enumerate()
    {
        app.sign_and_confirm(disguised, &format!("faux{i}@example.org"))
            .await;
    }
    let listed = public_list(&app, EXAMPLE_SLUG).await;
    assert!(
        listed.is_empty(),
        "a disguised protected name skipped review: {listed:?}"
    );
}

/// Promises 2 and 3 together: a held signer cannot rename themselves, on
/// the manage page, into a disguise of the protected name and be listed.
#[actix_web::test]
async fn a_held_name_renamed_into_capital_look_alikes_stays_held() {
    let app = spawn_app().await;
    protect_site_wide(&app, "François Legault").await;
    app.sign_and_confirm("FRANÇOIS LEGAULT", "faux@example.org").await;
    assert!(public_list(&app, EXAMPLE_SLUG).await.is_empty(), "held");
    let manage = manage_link(&app, "faux@example.org");
    let r = app
        .post_form_url(
            &manage,
            &[
                ("name", "FRAN\u{C7}OIS L\u{395}GAUL\u{3A4}"),
                ("visibility", "public"),
                ("titles", "Premier ministre du Québec"),
                ("city", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "the change is taken");
    let listed = public_list(&app, EXAMPLE_SLUG).await;
    assert!(listed.is_empty(), "a disguised rename skipped review: {listed:?}");
}

/// The count: withdrawing a signature that an organizer had hidden and
/// excluded (so it was not counted) moves the cached count down by one
/// anyway (`signatures_changed(letter, -was_confirmed)`), so the public count
/// drops below the truth for the cache's lifetime. A spammer whose wave was
/// excluded can withdraw every row and push the count down by the wave's size.
#[actix_web::test]
async fn withdrawing_an_excluded_signature_lowers_the_count() {
    let app = spawn_app_with(|s| s.count_cache_ttl = std::time::Duration::from_secs(60)).await;
    let org = organizer(&app, "revue@example.org", false).await;
    let ws = own_example(&app, &org).await;
    let withdraw = app.sign_and_confirm("Spam Exclu", "spam@example.org").await;
    let (_, shown) = org.get(&format!("{ws}/moderation?show=shown")).await;
    let ids = ids_in(&shown);
    assert_eq!(ids.len(), 1);
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "exclude"), ("id", &ids[0]), ("show", "shown")],
    )
    .await;
    let before = app.api_count(EXAMPLE_SLUG).await;
    assert_eq!(app.post(&withdraw).await.status().as_u16(), 200);
    let truth = app
        .with_conn(|c| undersigned::db::signatures::count_confirmed(c, &example_id(&app)))
        .unwrap();
    assert_eq!(truth, before, "the excluded row was never counted");
    assert_eq!(
        app.api_count(EXAMPLE_SLUG).await,
        truth,
        "the public count dropped below the truth"
    );
}

/// Regression of f427fa0: a second submission for a pending address no
/// longer touches `signatures.updated_at`, which `purge_expired_pending`
/// reads as "last link sent". A signer who asks for a new link after the
/// first expired gets one valid for a week, and the next maintenance pass
/// deletes the signature under it ("unknown link").
#[actix_web::test]
async fn purge_deletes_a_pending_signature_whose_new_link_is_still_valid() {
    let app = spawn_app().await;
    let fields = [("name", "Signe Tard"), ("visibility", "public")];
    sign_with(&app, "tard@example.org", &fields).await;
    // The first submission was eight days ago: its link has expired.
    let eight_days_ago = undersigned::db::now() - chrono::Duration::days(8);
    app.with_conn(|c| {
        diesel::update(signatures::table.filter(signatures::email.eq("tard@example.org")))
            .set((
                signatures::created_at.eq(eight_days_ago),
                signatures::updated_at.eq(eight_days_ago),
                signatures::sends_window_start.eq(Some(eight_days_ago)),
            ))
            .execute(c)
    })
    .unwrap();
    // Today the signer asks again and gets a fresh link, valid for 7 days.
    let fresh = sign_with(&app, "tard@example.org", &fields).await;
    // The maintenance pass (`jobs::run_once`) with the default 7-day TTL.
    let ttl = chrono::Duration::days(7);
    app.with_tx(|c| undersigned::db::maintenance::purge_expired_pending(c, undersigned::db::now() - ttl))
        .unwrap();
    let r = app.post(&fresh.confirm_link()).await;
    assert_eq!(
        r.status().as_u16(),
        200,
        "a link mailed minutes ago no longer works"
    );
}

/// "A verified-by-email mark is computed again whenever an organizer
/// removes the affiliation mapping behind it": `recompute_domain` finds the
/// rows by `email LIKE`, and an anonymised letter has no addresses left, so
/// a mapping removed afterwards (say, one added by mistake) leaves its marks
/// on the public list and exports for good.
#[actix_web::test]
async fn marks_outlive_a_removed_mapping_once_the_letter_is_anonymised() {
    let app = spawn_app().await;
    let (org, ws) = crate::trust::laval_signer(&app, "Rectrice, Université Laval").await;
    let marks = |app: &TestApp| {
        app.with_conn(|c| {
            signatures::table
                .filter(signatures::name.eq("Étudiante Laval"))
                .select(signatures::verified_lines)
                .get_result::<Option<String>>(c)
        })
        .unwrap()
    };
    assert_eq!(marks(&app).as_deref(), Some("[0]"));
    org.post(&format!("{ws}/status"), &[("action", "close")]).await;
    org.post(&format!("{ws}/status"), &[("action", "anonymise")])
        .await;
    let aid = undersigned::db::affiliations::list(&mut app.conn(), &example_id(&app))
        .unwrap()
        .pop()
        .expect("the mapping")
        .id;
    let r = org
        .post(
            &format!("{ws}/affiliations"),
            &[("action", "remove"), ("aid", &aid)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        undersigned::db::affiliations::list(&mut app.conn(), &example_id(&app))
            .unwrap()
            .is_empty(),
        "the mapping is gone"
    );
    assert_eq!(marks(&app), None, "the mark outlived its mapping");
}

/// "Withdrawing a signature deletes the outbox rows about the signer": only
/// rows carrying `signature_id`. Mail queued before the migration (the column
/// is new and was not backfilled) keeps the address, the letter's title and
/// live links, and is still sent after the withdrawal.
#[actix_web::test]
async fn mail_queued_before_the_upgrade_survives_withdrawal() {
    let app = spawn_app().await;
    let withdraw = app
        .sign_and_confirm("Ancien Courriel", "ancien@example.org")
        .await;
    app.wait_for_outbox_drained().await;
    // A row as the previous release wrote it: no signature_id.
    app.with_conn(|c| {
        undersigned::db::outbox::insert(
            c,
            &undersigned::db::outbox::NewEmail {
                kind: "letter_updated",
                recipient: "ancien@example.org".into(),
                subject: "La lettre a changé".into(),
                text: "Bonjour Ancien Courriel".into(),
                html: String::new(),
                unsubscribe: None,
                sender_name: None,
                reply_to: None,
            },
            undersigned::db::now() + chrono::Duration::hours(1),
        )
    })
    .unwrap();
    assert_eq!(app.post(&withdraw).await.status().as_u16(), 200);
    let left: i64 = app
        .with_conn(|c| {
            outbox::table
                .filter(outbox::recipient.eq("ancien@example.org"))
                .count()
                .get_result(c)
        })
        .unwrap();
    assert_eq!(left, 0, "outbox rows still name the withdrawn signer");
}

/// PostgreSQL only (run with TEST_DATABASE_URL, as the README says; on
/// SQLite the writer lock serialises both and the test returns early).
/// `confirm_in_tx` reads the token and the row without a lock, and
/// `ConfirmSignature` updates `WHERE id = ?` with no `status = 'pending'`
/// guard. A confirmation that reads the row just before a withdrawal commits
/// then writes over the tombstone: the withdrawn signature is confirmed and
/// listed again, its address already erased, so no later link reaches it.
#[actix_web::test]
async fn pg_a_confirmation_racing_a_withdrawal_resurrects_the_signature() {
    use undersigned::db::{signatures as sigs, tokens::Purpose, DbConn};
    use undersigned::domain::Token;
    let app = spawn_app().await;
    if !matches!(&*app.conn(), DbConn::Pg(_)) {
        eprintln!("PostgreSQL only: set TEST_DATABASE_URL");
        return;
    }
    let mail = sign_with(
        &app,
        "course@example.org",
        &[("name", "Course Perdue"), ("visibility", "public")],
    )
    .await;
    let token_of = |link: String| Token::parse(link.rsplit('/').next().unwrap()).unwrap();
    let confirm = token_of(mail.confirm_link());
    let withdraw = token_of(mail.withdraw_link()).hash();
    let id: String = app
        .with_conn(|c| {
            signatures::table
                .filter(signatures::email.eq("course@example.org"))
                .select(signatures::id)
                .get_result(c)
        })
        .unwrap();

    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let pool = app.pool.clone();
    let withdrawer = std::thread::spawn(move || {
        let mut b = pool.get().unwrap();
        undersigned::db::write_tx::<_, diesel::result::Error, _>(&mut b, |b| {
            sigs::withdraw(b, &withdraw, Purpose::Withdraw, undersigned::db::now())
                .unwrap()
                .unwrap();
            ready_tx.send(()).unwrap();
            // The confirmation reads the row now, then waits on its lock.
            std::thread::sleep(std::time::Duration::from_millis(800));
            Ok(())
        })
        .unwrap();
    });
    ready_rx.recv().unwrap();
    let pool = app.pool.clone();
    let confirmer = std::thread::spawn(move || {
        let mut a = pool.get().unwrap();
        let key = undersigned::domain::LinkKey::new(b"any key");
        sigs::confirm(&mut a, &confirm, &key, undersigned::db::now())
            .unwrap()
            .is_ok()
    });
    withdrawer.join().unwrap();
    let confirmed = confirmer.join().unwrap();
    let (status, name): (String, String) = app
        .with_conn(|c| {
            signatures::table
                .find(&id)
                .select((signatures::status, signatures::name))
                .get_result(c)
        })
        .unwrap();
    assert_eq!(
        (status.as_str(), name.as_str(), confirmed),
        ("withdrawn", "", false),
        "a withdrawn signature was confirmed again; listed: {:?}",
        public_list(&app, EXAMPLE_SLUG).await
    );
}

/// Promise 3: "seen by an organizer before it shows". The review queue shows
/// name, titles and address, never the city, yet an approval publishes the
/// city with the name. A signer on a reviewed letter can put any 100
/// characters in "city" and have them approved unseen.
#[actix_web::test]
async fn the_review_queue_hides_the_city_that_an_approval_publishes() {
    let app = spawn_app().await;
    let (org, ws) = reviewing_owner(&app).await;
    let mail = sign_with(
        &app,
        "ville@example.org",
        &[
            ("name", "Jean Ordinaire"),
            ("city", "Texte diffamatoire jamais relu"),
            ("visibility", "public"),
        ],
    )
    .await;
    app.post(&mail.confirm_link()).await;
    let (_, queue) = org.get(&format!("{ws}/moderation")).await;
    assert!(queue.contains("Jean Ordinaire"));
    let ids = ids_in(&queue);
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "approve"), ("id", &ids[0])],
    )
    .await;
    let listed = public_list(&app, EXAMPLE_SLUG).await;
    assert_eq!(listed[0].2.as_deref(), Some("Texte diffamatoire jamais relu"));
    assert!(
        queue.contains("Texte diffamatoire jamais relu"),
        "the organizer approved a city the queue never showed"
    );
}
