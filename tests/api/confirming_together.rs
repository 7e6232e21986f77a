//! Confirmations that share a transaction (the group writer hands a whole
//! batch to `signatures::confirm_many`, two statements on PostgreSQL
//! whatever their number) end exactly as if each had run alone, one after
//! the other: the same outcome for every link, and the same rows after.
//! Checked as a property over random lists of links, repeats included:
//! links replaced by a later submission, spent, unknown, the same link
//! twice, several of one signature.

use crate::helpers::{spawn_app, Email, TestApp, EXAMPLE_SLUG};
use crate::rolled_back::{rolled_back, Row};
use diesel::prelude::*;
use diesel::sql_types::Text;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use undersigned::db::signatures::{self, ConfirmRequest, Confirmed, LinkError};
use undersigned::db::{write_tx, DbConn, DbError};
use undersigned::domain::{LinkKey, Token};

/// What the database holds of signatures, their words and their links.
fn snapshot(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let mut rows = Vec::new();
    for sql in [
        // Every column a confirmation writes, so that two of one type
        // swapped in the batch statement would show.
        "SELECT id || ' ' || status || ' ' || moderation || ' ' || name || ' ' || COALESCE(sort_key, '-') \
         || ' ' || titles || ' ' || COALESCE(city, '-') || ' ' || is_public || ' ' || wants_updates \
         || ' ' || language || ' ' || COALESCE(consent_version, '-') || ' ' || COALESCE(consent_at || '', '-') \
         || ' ' || COALESCE(consent_letter_version || '', '-') || ' ' || COALESCE(verified_lines, '-') \
         || ' ' || COALESCE(confirmed_at || '', '-') || ' ' || updated_at || ' ' || COALESCE(approved_at || '', '-') \
         AS v FROM signatures ORDER BY id",
        "SELECT signature_id || ' ' || word AS v FROM signature_words ORDER BY signature_id, word",
        "SELECT token_hash || ' ' || COALESCE(used_at || '', '-') || ' ' || COALESCE(replaced_at || '', '-') \
         AS v FROM tokens ORDER BY token_hash",
    ] {
        rows.extend(diesel::sql_query(sql).load::<Row>(conn)?.into_iter().map(|r| r.v));
    }
    Ok(rows)
}

/// An outcome as the page would tell it, links included.
fn told(outcome: &Result<Confirmed, LinkError>) -> String {
    match outcome {
        Ok(c) => format!(
            "confirmed new={} {:?} {} manage={} withdraw={}",
            c.newly_confirmed,
            c.moderation,
            c.content.name,
            c.manage.as_str(),
            c.withdraw.as_str()
        ),
        Err(e) => format!("{e:?}"),
    }
}

fn confirmed(app: &TestApp) -> usize {
    app.with_conn(|conn| {
        diesel::sql_query("SELECT id AS v FROM signatures WHERE status = 'confirmed'")
            .load::<Row>(&mut **conn)
            .expect("confirmed signatures")
            .len()
    })
}

async fn mailed(app: &TestApp, name: &str, address: &str, count: usize) -> Email {
    let r = app.sign_as(name, address).await;
    assert_eq!(r.status().as_u16(), 303, "signing as {name}");
    app.wait_for_file_emails(address, count).await.remove(count - 1)
}

fn token_of(email: &Email) -> Token {
    let link = email.confirm_link();
    let raw = link.rsplit('/').next().expect("a token at the end of the link");
    Token::parse(raw).expect("a token")
}

#[actix_web::test]
async fn confirmations_together_end_as_they_would_one_by_one() {
    let app = spawn_app().await;
    // Ana signs twice (her first link is replaced by the second), Ben
    // twice alike (two live links to one signature), Chloé and Dara once, Éloi once and confirms at once (his link is
    // then spent); one link was never issued.
    let ana_first = token_of(&mailed(&app, "Ana Premier", "ana@example.org", 1).await);
    let ana_second = token_of(&mailed(&app, "Ana Seconde", "ana@example.org", 2).await);
    let ben = token_of(&mailed(&app, "Ben Côté", "ben@example.org", 1).await);
    // The same content again: both of Ben's links still work.
    let ben_again = token_of(&mailed(&app, "Ben Côté", "ben@example.org", 2).await);
    let chloe = token_of(&mailed(&app, "Chloé Bérubé", "chloe@example.org", 1).await);
    // Dara fills every field (news unticked while she is listed publicly),
    // so that each column the batch writes shows, and two swapped would.
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Dara « Les Érables »"),
                ("email", "dara@example.org"),
                ("titles", "Trésorière"),
                ("city", "Rimouski"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let dara = token_of(&app.wait_for_file_emails("dara@example.org", 1).await.remove(0));
    let eloi_mail = mailed(&app, "Éloi Déjà", "eloi@example.org", 1).await;
    assert_eq!(app.post(&eloi_mail.confirm_link()).await.status().as_u16(), 200);
    let eloi = token_of(&eloi_mail);
    let unknown = Token::generate();
    let pool = [ana_first, ana_second, ben, ben_again, chloe, dara, eloi, unknown];

    let key = LinkKey::new(&app.settings.load_secret().expect("the site's secret"));
    let now = undersigned::db::now();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(0..pool.len(), 1..12), |picks| {
            let requests: Vec<ConfirmRequest<'_>> = picks
                .iter()
                .map(|&i| ConfirmRequest {
                    token: &pool[i],
                    key: &key,
                    now,
                })
                .collect();
            let one_by_one = rolled_back(
                &app,
                |tx| {
                    let mut told_all = Vec::new();
                    for r in &requests {
                        told_all.push(told(&signatures::confirm_in_tx(tx, r.token, r.key, r.now)?));
                    }
                    Ok(told_all)
                },
                |tx| snapshot(tx),
            );
            let together = rolled_back(
                &app,
                |tx| {
                    Ok(signatures::confirm_many(tx, &requests)?
                        .iter()
                        .map(told)
                        .collect())
                },
                |tx| snapshot(tx),
            );
            prop_assert_eq!(&together.0, &one_by_one.0, "outcomes of {:?}", picks);
            prop_assert_eq!(&together.1, &one_by_one.1, "rows after {:?}", picks);
            Ok(())
        })
        .unwrap();

    // And for real: every link at once, each new signature confirmed once,
    // with its words; the replaced, spent and unknown links refused.
    let before = confirmed(&app);
    let requests: Vec<ConfirmRequest<'_>> = pool
        .iter()
        .chain(&pool)
        .map(|token| ConfirmRequest {
            token,
            key: &key,
            now,
        })
        .collect();
    let outcomes = app
        .with_conn(|conn| write_tx(conn, |tx| signatures::confirm_many(tx, &requests)))
        .expect("the confirmations commit");
    let kinds: Vec<String> = outcomes
        .iter()
        .map(|o| told(o).split(' ').take(2).collect())
        .collect();
    assert_eq!(
        kinds,
        [
            "Replaced",
            "confirmednew=true",
            "confirmednew=true",
            "confirmednew=false",
            "confirmednew=true",
            "confirmednew=true",
            "Used",
            "Unknown",
            "Replaced",
            "Used",
            "Used",
            "Used",
            "Used",
            "Used",
            "Used",
            "Unknown",
        ]
    );
    assert_eq!(confirmed(&app), before + 4);
    let words = app.with_conn(|conn| {
        diesel::sql_query(
            "SELECT w.word AS v FROM signature_words w JOIN signatures s ON s.id = w.signature_id \
             WHERE s.name LIKE 'Dara%' ORDER BY w.word",
        )
        .load::<Row>(&mut **conn)
        .expect("words")
    });
    let words: Vec<String> = words.into_iter().map(|r| r.v).collect();
    assert_eq!(words, ["dara", "erables", "les", "tresoriere"]);
    // On PostgreSQL one-by-one and together run the same statement: what
    // it wrote is checked against what Dara sent, column by column.
    let row = app.with_conn(|conn| {
        diesel::sql_query(
            "SELECT status || '|' || titles || '|' || COALESCE(city, '-') || '|' \
             || CASE WHEN is_public THEN 'public' ELSE 'count-only' END || '|' \
             || CASE WHEN wants_updates THEN 'news' ELSE 'no-news' END || '|' || language || '|' \
             || CASE WHEN confirmed_at = updated_at AND consent_at <= confirmed_at THEN 'times' ELSE 'bad-times' END \
             || '|' || COALESCE(approved_at || '', '-') || '|' || COALESCE(verified_lines, '-') AS v \
             FROM signatures WHERE name LIKE 'Dara%'",
        )
        .get_result::<Row>(&mut **conn)
        .expect("Dara's row")
        .v
    });
    assert_eq!(
        row,
        "confirmed|[\"Trésorière\"]|Rimouski|public|no-news|fr|times|-|-"
    );
}

/// Over HTTP, links followed all at once (each twice) land in the group
/// writer's batches together: each signature is confirmed once, with its
/// search words, and each link's second use is refused as spent.
#[actix_web::test]
async fn links_followed_at_once_confirm_each_signature_once() {
    let app = spawn_app().await;
    let mut links = Vec::new();
    for i in 0..12 {
        let email = mailed(
            &app,
            &format!("Ensemble Numéro{i}"),
            &format!("ensemble{i}@example.org"),
            1,
        )
        .await;
        links.push(email.confirm_link());
    }
    let before = confirmed(&app);
    let posts = links.iter().chain(&links).map(|link| app.post(link));
    let statuses: Vec<u16> = futures_util::future::join_all(posts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let mut per_link: Vec<(u16, u16)> = (0..links.len())
        .map(|i| (statuses[i], statuses[i + links.len()]))
        .collect();
    for pair in &mut per_link {
        if pair.0 > pair.1 {
            *pair = (pair.1, pair.0);
        }
    }
    assert!(per_link.iter().all(|p| *p == (200, 410)), "{per_link:?}");
    assert_eq!(confirmed(&app), before + links.len());
    let found = app.with_conn(|conn| {
        diesel::sql_query(
            "SELECT w.word AS v FROM signature_words w JOIN signatures s ON s.id = w.signature_id \
             WHERE s.name LIKE 'Ensemble%' AND w.word LIKE 'numero%'",
        )
        .load::<Row>(&mut **conn)
        .expect("words")
    });
    assert_eq!(found.len(), links.len());
}

/// A batch's writes as PostgreSQL would run them, for its plan.
struct Explain<'a>(undersigned::db::cached::ConfirmManyOnPg<'a>);

impl diesel::query_builder::QueryId for Explain<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Explain<'_> {
    type SqlType = Text;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Explain<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut pass: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        pass.push_sql("EXPLAIN ");
        self.0.walk_ast(pass.reborrow())
    }
}

impl<Conn> RunQueryDsl<Conn> for Explain<'_> {}

/// On PostgreSQL a batch finds its signatures by primary key even when the
/// statistics were taken before a wave of pending signatures: with the
/// pending status as a constant, the planner trusted them and scanned every
/// pending row for each batch (180 confirmations a second in bench/run).
#[actix_web::test]
async fn a_batch_finds_its_signatures_by_key_whatever_the_statistics() {
    use undersigned::db::cached::{ConfirmManyOnPg, ConfirmSignature, ConfirmedRow};
    let app = spawn_app().await;
    if !matches!(
        app.settings.database_url,
        undersigned::db::DatabaseUrl::Postgres(_)
    ) {
        return;
    }
    app.with_conn(|conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(
            "CREATE TEMP TABLE more AS SELECT s.* FROM signatures s, generate_series(1, 5000) \
             WHERE s.status = 'confirmed' LIMIT 5000; \
             UPDATE more SET id = gen_random_uuid()::text, email_key = md5(random()::text); \
             INSERT INTO signatures SELECT * FROM more; DROP TABLE more; ANALYZE signatures;",
        )
        .expect("a large letter, analyzed with nothing pending");
    });
    for i in 0..3 {
        mailed(
            &app,
            &format!("Vague Numéro{i}"),
            &format!("vague{i}@example.org"),
            1,
        )
        .await;
    }
    let ids: Vec<String> = app.with_conn(|conn| {
        diesel::sql_query("SELECT id AS v FROM signatures WHERE status = 'pending'")
            .load::<Row>(&mut **conn)
            .expect("pending ids")
            .into_iter()
            .map(|r| r.v)
            .collect()
    });
    assert_eq!(ids.len(), 3);
    let at = undersigned::db::now();
    let rows: Vec<ConfirmedRow<'_>> = ids
        .iter()
        .map(|id| ConfirmedRow {
            update: ConfirmSignature {
                id,
                at,
                moderation: "shown",
                name: "Vague",
                sort_key: "vague",
                titles: "[]",
                city: None,
                is_public: true,
                wants_updates: false,
                language: "fr",
                consent_version: "v1",
                consent_at: at,
                consent_letter_version: None,
                verified_lines: None,
            },
            words: vec!["vague".into()],
            hash: "nothing",
        })
        .collect();
    let plan: Vec<String> = app.with_conn(|conn| match &mut **conn {
        DbConn::Pg(c) => Explain(ConfirmManyOnPg::new(&rows))
            .load::<String>(c)
            .expect("a plan"),
        DbConn::Sqlite(_) => unreachable!("PostgreSQL only"),
    });
    let plan = plan.join("\n");
    assert!(
        plan.contains("Index Scan using signatures_pkey on signatures g"),
        "{plan}"
    );
    assert!(!plan.contains("signatures_unconfirmed"), "{plan}");
}
