//! Reach: finding a name among the public signatories, paging through a
//! long list, and the figures by region and by day. On SQLite, and on
//! PostgreSQL with TEST_DATABASE_URL.

use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use diesel::prelude::*;
use serde_json::Value;
use undersigned::db::letters;
use undersigned::db::moderation::{self, Decision, Selected};
use undersigned::db::organizers::{self, CreateOutcome};
use undersigned::db::schema::signatures;
use undersigned::db::signatures::pages::{list_page, ListOrder, Seek};
use undersigned::db::signatures::search::search_page;
use undersigned::domain::search::SearchQuery;

async fn sign_with(
    app: &TestApp,
    name: &str,
    email: &str,
    titles: &str,
    city: &str,
    visibility: &str,
) -> String {
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", name),
                ("email", email),
                ("titles", titles),
                ("city", city),
                ("visibility", visibility),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "signing {name}");
    let email = app.wait_for_file_emails(email, 1).await.remove(0);
    assert_eq!(app.post(&email.confirm_link()).await.status().as_u16(), 200);
    email.link("/manage/")
}

async fn search_names(app: &TestApp, q: &str) -> Vec<String> {
    let path = format!(
        "/api/v1/letters/{EXAMPLE_SLUG}/signatories?q={}",
        form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
    );
    let r = app.get(&path).await;
    assert_eq!(r.status().as_u16(), 200, "{q}");
    let json: Value = r.json().await.unwrap();
    json["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn id_of(app: &TestApp, name: &str) -> String {
    app.with_conn(|c| {
        signatures::table
            .filter(signatures::name.eq(name))
            .select(signatures::id)
            .first::<String>(c)
    })
    .expect("signature id")
}

fn hide(app: &TestApp, name: &str, decision: Decision) {
    let id = id_of(app, name);
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let now = undersigned::db::now();
    let n = app
        .with_tx(|tx| {
            let CreateOutcome::Created { organizer, .. } =
                organizers::create(tx, &format!("mod-{id}@example.org"), false, now)?
            else {
                panic!("organizer exists");
            };
            moderation::decide(
                tx,
                &letter.id,
                &[Selected::parse(&id)],
                decision,
                &organizer.id,
                now,
            )
        })
        .unwrap();
    assert_eq!(n, 1);
}

#[actix_web::test]
async fn search_folds_case_and_accents_and_matches_the_start_of_any_word() {
    let app = spawn_app().await;
    sign_with(
        &app,
        "Émile Lévesque",
        "emile@example.org",
        "Université Laval",
        "Québec",
        "public",
    )
    .await;
    // "Louise Béland" is an initial signatory, titled "…Université de Sherbrooke".
    assert_eq!(search_names(&app, "beland").await, ["Louise Béland"]);
    assert_eq!(search_names(&app, "BÉL").await, ["Louise Béland"]);
    assert_eq!(search_names(&app, "universite laval").await, ["Émile Lévesque"]);
    assert_eq!(search_names(&app, "laval univ").await, ["Émile Lévesque"]);
    assert_eq!(search_names(&app, "sherbrooke louise").await, ["Louise Béland"]);
    let both = search_names(&app, "universite").await;
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&"Louise Béland".to_string()) && both.contains(&"Émile Lévesque".to_string()));
    // Word starts only, and every word must match.
    assert!(search_names(&app, "eland").await.is_empty());
    assert!(search_names(&app, "laval sherbrooke").await.is_empty());
    // A name matched by two of its words comes once.
    sign_with(&app, "Marc Marchand", "marc@example.org", "", "", "public").await;
    assert_eq!(
        search_names(&app, "mar").await,
        ["Marc Marchand", "Marie Tremblay"]
    );

    // The page: the box keeps the query and the results are listed.
    let (status, html) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories?q=B%C3%A9land"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"Béland\""), "{html}");
    assert!(html.contains("Louise Béland") && !html.contains("Marie Tremblay"));
    assert!(html.contains("Résultats pour «\u{a0}Béland\u{a0}»"));
    // Switching language keeps the search.
    let switch = format!("/letters/{EXAMPLE_SLUG}/signatories?q=B%C3%A9land&amp;lang=en");
    assert!(html.contains(&switch), "{html}");
    let (status, html) = app.get_html(&switch.replace("&amp;", "&")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Louise Béland") && html.contains("value=\"Béland\""),
        "{html}"
    );
    assert!(html.contains("Results for"), "{html}");
}

#[actix_web::test]
async fn hidden_withdrawn_renamed_and_count_only_signers_are_never_found() {
    let app = spawn_app().await;
    sign_with(&app, "Berthe Comptée", "berthe@example.org", "", "", "count-only").await;
    sign_with(&app, "Bertrand Caché", "bertrand@example.org", "", "", "public").await;
    sign_with(
        &app,
        "Bernadette Exclue",
        "bernadette@example.org",
        "",
        "",
        "public",
    )
    .await;
    let manage = sign_with(&app, "Bertin Retiré", "bertin@example.org", "", "", "public").await;
    let renamed = sign_with(
        &app,
        "Berengère Ancienne",
        "berengere@example.org",
        "Ancienne",
        "",
        "public",
    )
    .await;
    assert_eq!(
        search_names(&app, "ber").await.len(),
        4,
        "all but the count-only one"
    );

    hide(&app, "Bertrand Caché", Decision::Hide);
    hide(&app, "Bernadette Exclue", Decision::HideAndExclude);
    let r = app.post(&format!("{manage}/withdraw")).await;
    assert!(r.status().is_success() || r.status().is_redirection());
    let path = renamed.trim_start_matches(&app.address).to_string();
    let r = app
        .post_form(
            &path,
            &[
                ("name", "Joséphine Nouvelle"),
                ("titles", "Nouvelle"),
                ("city", ""),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    assert!(search_names(&app, "ber").await.is_empty());
    assert!(search_names(&app, "ancienne").await.is_empty());
    assert_eq!(search_names(&app, "josephine nouv").await, ["Joséphine Nouvelle"]);
    assert!(search_names(&app, "comptee").await.is_empty());
    // The withdrawn signature's words are erased, not just filtered.
    let words: i64 = app.with_conn(|c| {
        use undersigned::db::schema::signature_words;
        signature_words::table
            .filter(signature_words::signature_id.eq(id_of_withdrawn(c)))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(words, 0);
}

fn id_of_withdrawn(c: &mut undersigned::db::PooledConn) -> String {
    signatures::table
        .filter(signatures::status.eq("withdrawn"))
        .select(signatures::id)
        .first::<String>(c)
        .unwrap()
}

#[actix_web::test]
async fn bad_searches_are_clear_4xx_in_the_readers_language() {
    let app = spawn_app().await;
    let api = format!("/api/v1/letters/{EXAMPLE_SLUG}/signatories");
    for (q, code) in [
        ("b", "query_too_short"),
        ("%20%21", "query_too_short"),
        (&"x".repeat(101)[..], "query_too_long"),
        ("a%20b%20c%20d%20e%20f%20g", "query_too_long"),
    ] {
        let r = app.get(&format!("{api}?q={q}")).await;
        assert_eq!(r.status().as_u16(), 400, "{q}");
        let json: Value = r.json().await.unwrap();
        assert_eq!(json["error"], code, "{q}");
    }
    let r = app.get(&format!("{api}?q=beland&after=nope")).await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "bad_cursor");

    let page = format!("/letters/{EXAMPLE_SLUG}/signatories");
    let (status, html) = app.get_html(&format!("{page}?q=b&lang=fr")).await;
    assert_eq!(status, 400);
    assert!(html.contains("Tapez au moins deux lettres ou chiffres pour chercher."));
    assert!(html.contains("value=\"b\"") && html.contains("aria-invalid=\"true\""));
    let (status, html) = app.get_html(&format!("{page}?q=b&lang=en")).await;
    assert_eq!(status, 400);
    assert!(html.contains("Type at least two letters or digits to search."));
    for bad in [
        "after=zzz",
        "before=1_2",
        "by=weird",
        "by=name&from=%C3%A9",
        "by=name&after=x.y",
    ] {
        let (status, _) = app.get_html(&format!("{page}?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }
}

#[actix_web::test]
async fn search_and_list_pages_follow_their_cursors_both_ways() {
    let app = spawn_app().await;
    for (i, name) in [
        "Ana Bergeron",
        "Bea Bernier",
        "Cleo Bertrand",
        "Dan Boucher",
        "Eve Brunet",
    ]
    .iter()
    .enumerate()
    {
        sign_with(&app, name, &format!("p{i}@example.org"), "", "", "public").await;
    }
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let id = letter.id.clone();
    let names = |v: &[undersigned::db::signatures::PublicSignatory]| {
        v.iter().map(|s| s.name.clone()).collect::<Vec<_>>()
    };
    app.with_conn(|c| {
        // Search, two at a time, in the order of the matching word.
        let q = SearchQuery::parse("ber").unwrap();
        let (p1, next) = search_page(c, &id, &q, None, 2).unwrap();
        let p1: Vec<String> = p1.into_iter().map(|f| f.signatory.name).collect();
        assert_eq!(p1, ["Ana Bergeron", "Bea Bernier"]);
        let (p2, next) = search_page(c, &id, &q, next.as_ref(), 2).unwrap();
        assert_eq!(p2.len(), 1);
        assert_eq!(p2[0].signatory.name, "Cleo Bertrand");
        assert!(next.is_none());

        // The list in signing order: forward, back, last.
        let first = list_page(c, &id, ListOrder::Signed, &Seek::First, 2).unwrap();
        assert_eq!(names(&first.rows), ["Ana Bergeron", "Bea Bernier"]);
        assert!(first.prev.is_none());
        let second = list_page(c, &id, ListOrder::Signed, &Seek::After(first.next.unwrap()), 2).unwrap();
        assert_eq!(names(&second.rows), ["Cleo Bertrand", "Dan Boucher"]);
        let back = list_page(c, &id, ListOrder::Signed, &Seek::Before(second.prev.unwrap()), 2).unwrap();
        assert_eq!(names(&back.rows), ["Ana Bergeron", "Bea Bernier"]);
        assert!(back.prev.is_none(), "back at the start");
        let last = list_page(c, &id, ListOrder::Signed, &Seek::Last, 2).unwrap();
        assert_eq!(names(&last.rows), ["Dan Boucher", "Eve Brunet"]);
        assert!(last.next.is_none() && last.prev.is_some());

        // By surname, initial signatories among them, from an initial.
        let from_c = list_page(c, &id, ListOrder::Name, &Seek::From('c'), 3).unwrap();
        assert_eq!(names(&from_c.rows), ["Jean-François Côté,", "Marie Tremblay"]);
        assert!(from_c.prev.is_some() && from_c.next.is_none());
        let start = list_page(c, &id, ListOrder::Name, &Seek::First, 3).unwrap();
        assert_eq!(
            names(&start.rows),
            ["Louise Béland", "Ana Bergeron", "Bea Bernier"]
        );
    });

    // The page says how many are listed and offers the ways through.
    let (_, html) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories?lang=en"))
        .await;
    assert!(html.contains("8 names listed"), "{html}");
    assert!(html.contains("no signatures counted without a name"));
    assert!(html.contains("<nav class=\"pagination\" aria-label="));
    let (status, html) = app
        .get_html(&format!(
            "/letters/{EXAMPLE_SLUG}/signatories?by=name&from=b&lang=en"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(html.find("Ana Bergeron").unwrap() < html.find("Eve Brunet").unwrap());
    assert!(html.find("Eve Brunet").unwrap() < html.find("Marie Tremblay").unwrap());
}

#[actix_web::test]
async fn the_figures_add_up_to_the_public_count_and_name_nobody() {
    let app = spawn_app().await;
    sign_with(&app, "Anne Un", "a1@example.org", "", "Montréal", "public").await;
    sign_with(&app, "Anne Deux", "a2@example.org", "", "montreal", "public").await;
    sign_with(
        &app,
        "Anne Trois",
        "a3@example.org",
        "",
        "Sherbrooke, QC",
        "public",
    )
    .await;
    sign_with(
        &app,
        "Anne Quatre",
        "a4@example.org",
        "",
        "Rimouski",
        "count-only",
    )
    .await;
    sign_with(&app, "Anne Cinq", "a5@example.org", "", "Ottawa", "public").await;
    sign_with(&app, "Anne Six", "a6@example.org", "", "Laval", "public").await;
    hide(&app, "Anne Six", Decision::HideAndExclude);

    let r = app.get(&format!("/api/v1/letters/{EXAMPLE_SLUG}/stats")).await;
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains("Anne") && !text.contains("example.org"), "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    // The cached count learns of the exclusion, made behind its back, when
    // it expires.
    let mut count = app.api_count(EXAMPLE_SLUG).await;
    for _ in 0..100 {
        if count == 8 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        count = app.api_count(EXAMPLE_SLUG).await;
    }
    assert_eq!(count, 3 + 5, "three initial, five counted (one excluded)");
    assert_eq!(json["total"], count);
    let regions = json["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 17);
    let of = |code: &str| {
        regions.iter().find(|r| r["code"] == code).unwrap()["count"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(of("06"), 2);
    assert_eq!(of("05"), 1);
    assert_eq!(of("01"), 1, "count-only signatures are counted");
    assert_eq!(of("13"), 0, "an excluded signature is not");
    assert_eq!(regions[4]["name"], "Estrie");
    assert_eq!(json["other"], 1);
    assert_eq!(json["not_given"], 3, "the initial signatories give no city");
    let by_region: i64 = regions.iter().map(|r| r["count"].as_i64().unwrap()).sum::<i64>()
        + json["other"].as_i64().unwrap()
        + json["not_given"].as_i64().unwrap();
    assert_eq!(by_region, count);
    let days = json["days"].as_array().unwrap();
    let by_day: i64 =
        days.iter().map(|d| d["count"].as_i64().unwrap()).sum::<i64>() + json["earlier"].as_i64().unwrap();
    assert_eq!(by_day, count);

    let (status, html) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/stats?lang=fr"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("role=\"img\"") && html.contains("<title id=\"regions-title\">"));
    assert!(html.contains("<th scope=\"row\">Estrie</th><td>1</td>"), "{html}");
    assert!(!html.contains("Anne"));
    let (_, letter_page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(letter_page.contains(&format!("href=\"/letters/{EXAMPLE_SLUG}/stats\"")));
}

#[actix_web::test]
async fn drafts_have_no_figures_and_no_search() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("brouillon-chiffres", "fr", ""));
    app.with_conn(|c| {
        let letter = letters::find_by_slug(c, "brouillon-chiffres")?.expect("letter");
        letters::set_status(
            c,
            &letter.id,
            letters::LetterStatus::Draft,
            undersigned::db::now(),
        )
    })
    .expect("set draft");
    for path in [
        "/letters/brouillon-chiffres/stats",
        "/api/v1/letters/brouillon-chiffres/stats",
        "/api/v1/letters/brouillon-chiffres/signatories?q=marie",
        "/letters/nulle-part/stats",
    ] {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
}

/// Initial signatories added straight to the example letter; `hidden`
/// ones made count-only, so that nobody may learn their names.
fn add_people(app: &TestApp, names: &[String], hidden: bool) {
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let people: Vec<undersigned::domain::letter_file::InitialSignatory> = names
        .iter()
        .map(|n| undersigned::domain::letter_file::InitialSignatory {
            name: n.clone(),
            titles: vec![],
        })
        .collect();
    app.with_tx(|tx| {
        undersigned::db::initial::append(tx, &letter.id, &people, letter.language, undersigned::db::now())
    })
    .unwrap();
    if hidden {
        app.with_conn(|c| {
            diesel::update(signatures::table.filter(signatures::name.eq_any(names)))
                .set(signatures::is_public.eq(false))
                .execute(c)
        })
        .unwrap();
    }
}

/// A search's cursor names a place in an index that holds hidden signers'
/// words too: it leaves sealed, opens only for its own search, and cannot
/// be forged to start a scan anywhere.
#[actix_web::test]
async fn a_search_cursor_names_nobody_and_cannot_be_forged() {
    let app = spawn_app().await;
    let secret: Vec<String> = (0..5000).map(|i| format!("Secret Qx{i:05}zz")).collect();
    add_people(&app, &secret, true);
    let api = |q: String| {
        let app = &app;
        async move {
            let r = app
                .get(&format!("/api/v1/letters/{EXAMPLE_SLUG}/signatories?{q}"))
                .await;
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or_default())
        }
    };
    let (status, page) = api("q=qx".into()).await;
    assert_eq!(status, 200);
    assert_eq!(page["signatories"], serde_json::json!([]), "{page}");
    let next = page["next"]
        .as_str()
        .expect("the scan stopped at its bound")
        .to_string();
    assert!(
        !next.contains("qx0") && !next.contains('-') && !next.contains('.'),
        "{next}"
    );
    let ids: Vec<String> = app.with_conn(|c| signatures::table.select(signatures::id).load(c).unwrap());
    assert!(
        ids.iter().all(|id| !next.contains(&id.replace('-', ""))),
        "{next}"
    );
    // Followed, it goes on and ends, naming nobody on the way.
    let mut cursor = next.clone();
    for _ in 0..3 {
        let (status, page) = api(format!("q=qx&after={cursor}")).await;
        assert_eq!(status, 200);
        assert_eq!(page["signatories"], serde_json::json!([]));
        match page["next"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    // Not for another search, nor made by hand.
    assert_eq!(api(format!("q=qy&after={next}")).await.0, 400);
    let forged = "00000000-0000-0000-0000-000000000000.0.qx00500";
    assert_eq!(api(format!("q=qx&after={forged}")).await.0, 400);
    let (status, html) = app
        .get_html(&format!(
            "/letters/{EXAMPLE_SLUG}/signatories?q=qx&after={forged}"
        ))
        .await;
    assert_eq!(status, 400, "{html}");
    let (_, html) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories?q=qx"))
        .await;
    assert!(
        !html.contains("Qx00") && !html.contains("qx0"),
        "the page's next link"
    );
}

/// The order of public results never depends on hidden signers: it
/// follows the query's longest word, not the index's counts.
#[actix_web::test]
async fn the_order_of_results_tells_nothing_of_hidden_signers() {
    let app = spawn_app().await;
    add_people(&app, &["Zorglubb Yyy2".into(), "Zorglubc Yyy1".into()], false);
    let hidden: Vec<String> = (0..3).map(|i| format!("Zorglubz Cache{i}")).collect();
    add_people(&app, &hidden, true);
    for q in ["yyy zorglub", "zorglub yyy"] {
        assert_eq!(
            search_names(&app, q).await,
            ["Zorglubb Yyy2", "Zorglubc Yyy1"],
            "{q}"
        );
    }
}

/// However a signature goes, its search words go with it: on PostgreSQL a
/// trigger does this instead of a foreign key, so this runs on both.
#[actix_web::test]
async fn a_removed_signatory_takes_its_search_words() {
    use crate::workspace::{create_letter, organizer, signatory_forms};
    use undersigned::db::schema::signature_words;
    let app = spawn_app().await;
    let org = organizer(&app, "mots@example.org", false).await;
    let ws = create_letter(&org, "mots-suivis").await;
    let pasted = "Zéphirine Quasimodo\nTrésorière\n\nAnatole Quasimodo";
    let r = org
        .post(&format!("{ws}/import"), &[("text", pasted), ("step", "save")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let words_of = |app: &TestApp, name: &'static str| -> i64 {
        app.with_conn(|c| {
            let id: String = signatures::table
                .filter(signatures::name.eq(name))
                .select(signatures::id)
                .first(c)
                .unwrap();
            signature_words::table
                .filter(signature_words::signature_id.eq(id))
                .count()
                .get_result(c)
                .unwrap()
        })
    };
    assert!(
        words_of(&app, "Zéphirine Quasimodo") >= 3,
        "name and title indexed"
    );
    let (_, editor) = org.get(&format!("{ws}/signatories")).await;
    let sid = signatory_forms(&editor, &ws).remove(0);
    let r = org.post(&sid, &[("action", "delete")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let left: Vec<(String, String)> = app.with_conn(|c| {
        signature_words::table
            .inner_join(signatures::table.on(signatures::id.eq(signature_words::signature_id)))
            .filter(signature_words::word.like("%quasimodo%"))
            .select((signatures::name, signature_words::word))
            .load(c)
            .unwrap()
    });
    assert!(
        left.iter().all(|(name, _)| name == "Anatole Quasimodo") && left.len() == 1,
        "{left:?}"
    );
    let orphans: i64 = app.with_conn(|c| {
        signature_words::table
            .filter(diesel::dsl::not(diesel::dsl::exists(
                signatures::table.filter(signatures::id.eq(signature_words::signature_id)),
            )))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(orphans, 0, "no word outlives its signature");
}
