//! The promises as a property. Random sequences of what the public does
//! (sign for any address, sign again with other content, confirm with any
//! link ever mailed, edit on the manage page, withdraw) and of what
//! organizers do (review mode on and off, protect a name, approve the queue,
//! hide a name) run against the real server. After every step, the public
//! list and the public export hold exactly the rows a reference model
//! allows: each is the content its address's owner last confirmed or
//! edited, and none is protected, held or hidden unless an organizer
//! approved that very content.

use crate::helpers::{spawn_app_with, Email, TestApp, EXAMPLE_SLUG};
use crate::moderation::{ids_in, own_example};
use crate::trust::{listed_at, public_csv, public_list};
use crate::workspace::{organizer, Org};
use diesel::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use undersigned::db::schema::signatures;
use undersigned::domain::fold::fold;

const ADDRESSES: [&str; 2] = ["ana@example.org", "ben@example.org"];
const PROTECTED: &str = "Gilles Vigneault";
/// The example letter's own first signatories, always counted.
const INITIAL: i64 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Content {
    name: String,
    titles: Vec<String>,
    city: Option<String>,
    public: bool,
}

#[derive(Debug, Clone)]
enum Step {
    Sign {
        who: usize,
        name: usize,
        titles: usize,
        city: bool,
        public: bool,
    },
    Confirm {
        who: usize,
        pick: usize,
    },
    Edit {
        who: usize,
        /// A new name from `name_of`; 3 sends no name (a form from before
        /// the field), which keeps the name.
        name: usize,
        titles: usize,
        public: bool,
    },
    Withdraw {
        who: usize,
    },
    Review(bool),
    Protect,
    ApproveAll,
    HideOne {
        pick: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0..ADDRESSES.len();
    prop_oneof![
        4 => (who.clone(), 0..3usize, 0..3usize, any::<bool>(), any::<bool>()).prop_map(
            |(who, name, titles, city, public)| Step::Sign { who, name, titles, city, public }
        ),
        4 => (who.clone(), any::<usize>()).prop_map(|(who, pick)| Step::Confirm { who, pick }),
        3 => (who.clone(), 0..4usize, 0..3usize, any::<bool>())
            .prop_map(|(who, name, titles, public)| Step::Edit { who, name, titles, public }),
        1 => who.prop_map(|who| Step::Withdraw { who }),
        2 => any::<bool>().prop_map(Step::Review),
        1 => Just(Step::Protect),
        1 => Just(Step::ApproveAll),
        1 => any::<usize>().prop_map(|pick| Step::HideOne { pick }),
    ]
}

fn name_of(who: usize, pick: usize) -> String {
    match pick {
        0 => format!("Personne Numéro{who}"),
        1 => PROTECTED.to_string(),
        _ => format!("Autre Nom{who}"),
    }
}

fn titles_of(who: usize, pick: usize) -> Vec<String> {
    match pick {
        0 => vec![],
        1 => vec![format!("Présidente {who}A (1987-2000)")],
        _ => vec![format!("Titre {who}B"), format!("Grand Officier {who}C")],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    None,
    Pending,
    Confirmed,
}

/// What the promises allow for one address.
#[derive(Debug, Clone)]
struct Signer {
    state: State,
    /// Confirmation links mailed to this address, with the content each
    /// was issued for and whether it still works.
    links: Vec<(String, Content, bool)>,
    /// What the owner confirmed or last saved.
    content: Option<Content>,
    approved: bool,
    hidden: bool,
    needs_review: bool,
}

struct Model {
    signers: Vec<Signer>,
    review: bool,
    protected: bool,
}

impl Model {
    fn needs_review(&self, c: &Content) -> bool {
        self.review || (self.protected && c.name == PROTECTED)
    }

    fn visible(&self, s: &Signer) -> Option<Content> {
        let c = s.content.as_ref()?;
        (s.state == State::Confirmed && c.public && !s.hidden && (s.approved || !s.needs_review))
            .then(|| c.clone())
    }

    fn queued(&self, s: &Signer) -> bool {
        let public = s.content.as_ref().is_some_and(|c| c.public);
        s.state == State::Confirmed && public && !s.hidden && !s.approved && s.needs_review
    }
}

/// The address of a row ticked on the moderation page (`ID.STAMP`).
fn email_of(app: &TestApp, ticked: &str) -> Option<String> {
    let signature_id = ticked.split('.').next().unwrap_or(ticked);
    app.with_conn(|c| {
        signatures::table
            .find(signature_id)
            .select(signatures::email)
            .get_result::<Option<String>>(c)
    })
    .ok()
    .flatten()
}

async fn latest_link(app: &TestApp, who: usize, prefix: &str) -> Option<String> {
    app.file_emails(ADDRESSES[who])
        .iter()
        .rev()
        .find(|e: &&Email| e.text.contains(prefix))
        .map(|e| e.link(prefix))
}

async fn run(steps: Vec<Step>) {
    let app = spawn_app_with(|s| s.max_sends_per_address = 1000).await;
    let org: Org = organizer(&app, "moderation@example.org", true).await;
    let ws = own_example(&app, &org).await;
    let mut model = Model {
        signers: vec![
            Signer {
                state: State::None,
                links: vec![],
                content: None,
                approved: false,
                hidden: false,
                needs_review: false,
            };
            ADDRESSES.len()
        ],
        review: false,
        protected: false,
    };
    for (i, step) in steps.iter().enumerate() {
        apply(&app, &org, &ws, &mut model, step).await;
        check(&app, &model, i, &steps).await;
    }
}

async fn apply(app: &TestApp, org: &Org, ws: &str, model: &mut Model, step: &Step) {
    match *step {
        Step::Sign {
            who,
            name,
            titles,
            city,
            public,
        } => {
            let content = Content {
                name: name_of(who, name),
                titles: titles_of(who, titles),
                city: city.then(|| "Sherbrooke".to_string()),
                public,
            };
            let before = app.file_emails(ADDRESSES[who]).len();
            let titles = content.titles.join("\n");
            let r = app
                .sign(
                    EXAMPLE_SLUG,
                    &[
                        ("name", &content.name),
                        ("email", ADDRESSES[who]),
                        ("titles", &titles),
                        ("city", content.city.as_deref().unwrap_or("")),
                        ("visibility", if public { "public" } else { "count-only" }),
                        ("consent", "yes"),
                    ],
                )
                .await;
            assert_eq!(r.status().as_u16(), 303);
            let mail = app
                .wait_for_file_emails(ADDRESSES[who], before + 1)
                .await
                .pop()
                .expect("an email");
            let s = &mut model.signers[who];
            match s.state {
                State::Confirmed => assert!(!mail.text.contains("/confirm/"), "already signed"),
                State::None | State::Pending => {
                    if s.state == State::Pending {
                        for link in s.links.iter_mut() {
                            link.2 &= link.1 == content;
                        }
                    }
                    s.state = State::Pending;
                    s.links.push((mail.confirm_link(), content, true));
                }
            }
        }
        Step::Confirm { who, pick } => {
            let s = &model.signers[who];
            if s.links.is_empty() {
                return;
            }
            let (url, content, alive) = s.links[pick % s.links.len()].clone();
            let page = app.client.get(&url).send().await.expect("GET");
            let live = alive && s.state != State::None;
            assert_eq!(page.status().as_u16() == 200, live, "GET {url}");
            if live {
                let page = page.text().await.expect("page");
                assert!(page.contains(&content.name), "the page states the name");
                for t in &content.titles {
                    assert!(page.contains(t.as_str()), "the page states {t}");
                }
            }
            let r = app.post(&url).await;
            assert_eq!(r.status().as_u16() == 200, live, "POST {url}");
            if live && s.state == State::Pending {
                let needs_review = model.needs_review(&content);
                let s = &mut model.signers[who];
                s.state = State::Confirmed;
                s.content = Some(content);
                s.approved = false;
                s.hidden = false;
                s.needs_review = needs_review;
            }
            let s = &mut model.signers[who];
            if let Some(link) = s.links.iter_mut().find(|l| l.0 == url) {
                link.2 = false;
            }
        }
        Step::Edit {
            who,
            name,
            titles,
            public,
        } => {
            let Some(manage) = latest_link(app, who, "/manage/").await else {
                return;
            };
            let s = &model.signers[who];
            let new_titles = titles_of(who, titles);
            let city = s
                .content
                .as_ref()
                .and_then(|c| c.city.clone())
                .unwrap_or_default();
            let joined = new_titles.join("\n");
            let new_name = (name < 3).then(|| name_of(who, name));
            let mut form = vec![
                ("titles", joined.as_str()),
                ("city", city.as_str()),
                ("visibility", if public { "public" } else { "count-only" }),
            ];
            if let Some(n) = &new_name {
                form.push(("name", n.as_str()));
            }
            let r = app.post_form_url(&manage, &form).await;
            let expected = match s.state {
                State::Confirmed => 303,
                State::Pending => 409,
                State::None => 410,
            };
            assert_eq!(r.status().as_u16(), expected, "manage edit in {:?}", s.state);
            if s.state == State::Confirmed {
                let mut c = s.content.clone().expect("confirmed content");
                let renamed = new_name.as_ref().is_some_and(|n| *n != c.name);
                if renamed || c.titles != new_titles || c.public != public {
                    if let Some(n) = new_name {
                        c.name = n;
                    }
                    c.titles = new_titles;
                    c.public = public;
                    let needs_review = model.needs_review(&c);
                    let s = &mut model.signers[who];
                    s.needs_review = needs_review;
                    s.approved = false;
                    s.content = Some(c);
                }
            }
        }
        Step::Withdraw { who } => {
            let Some(link) = latest_link(app, who, "/withdraw/").await else {
                return;
            };
            let s = &mut model.signers[who];
            let r = app.post(&link).await;
            let live = s.state != State::None;
            assert_eq!(r.status().as_u16() == 200, live, "withdraw in {:?}", s.state);
            if live {
                *s = Signer {
                    state: State::None,
                    links: s
                        .links
                        .iter()
                        .map(|(u, c, _)| (u.clone(), c.clone(), false))
                        .collect(),
                    content: None,
                    approved: false,
                    hidden: false,
                    needs_review: false,
                };
            }
        }
        Step::Review(on) => {
            let mode = if on { "review" } else { "immediate" };
            let r = org
                .post(&format!("{ws}/moderation/mode"), &[("mode", mode)])
                .await;
            assert_eq!(r.status().as_u16(), 303);
            model.review = on;
        }
        Step::Protect => {
            if model.protected {
                return;
            }
            let r = org
                .post(
                    &format!("{ws}/protected"),
                    &[("action", "add"), ("name", PROTECTED)],
                )
                .await;
            assert_eq!(r.status().as_u16(), 303);
            model.protected = true;
            for s in model.signers.iter_mut() {
                if s.content.as_ref().is_some_and(|c| c.name == PROTECTED) && !s.approved {
                    s.needs_review = true;
                }
            }
        }
        Step::ApproveAll => {
            let (_, queue) = org.get(&format!("{ws}/moderation")).await;
            let ids = ids_in(&queue);
            let expected: Vec<usize> = (0..ADDRESSES.len())
                .filter(|&i| model.queued(&model.signers[i]))
                .collect();
            let mut found: Vec<usize> = ids
                .iter()
                .filter_map(|id| email_of(app, id))
                .filter_map(|e| ADDRESSES.iter().position(|a| *a == e))
                .collect();
            found.sort_unstable();
            assert_eq!(found, expected, "the review queue");
            if ids.is_empty() {
                return;
            }
            let mut form: Vec<(&str, &str)> = vec![("decision", "approve")];
            form.extend(ids.iter().map(|id| ("id", id.as_str())));
            assert_eq!(
                org.post(&format!("{ws}/moderation"), &form)
                    .await
                    .status()
                    .as_u16(),
                303
            );
            for i in expected {
                model.signers[i].approved = true;
            }
        }
        Step::HideOne { pick } => {
            let (_, shown) = org.get(&format!("{ws}/moderation?show=shown")).await;
            let ids = ids_in(&shown);
            if ids.is_empty() {
                return;
            }
            let id = &ids[pick % ids.len()];
            let who = email_of(app, id)
                .and_then(|e| ADDRESSES.iter().position(|a| *a == e))
                .expect("a row of ours");
            let r = org
                .post(&format!("{ws}/moderation"), &[("decision", "hide"), ("id", id)])
                .await;
            assert_eq!(r.status().as_u16(), 303);
            let s = &mut model.signers[who];
            s.hidden = true;
            s.approved = false;
        }
    }
}

/// The letter's own signers a search through the API finds.
async fn searched(app: &TestApp, q: &str) -> Vec<(String, Vec<String>, Option<String>)> {
    listed_at(app, &format!("/api/v1/letters/{EXAMPLE_SLUG}/signatories?q={q}")).await
}

async fn check(app: &TestApp, model: &Model, i: usize, steps: &[Step]) {
    let mut expected: Vec<(String, Vec<String>, Option<String>)> = model
        .signers
        .iter()
        .filter_map(|s| model.visible(s))
        .map(|c| (c.name, c.titles, c.city))
        .collect();
    expected.sort();
    let mut listed = public_list(app, EXAMPLE_SLUG).await;
    listed.sort();
    assert_eq!(listed, expected, "the public list after step {i} of {steps:?}");

    let csv = public_csv(app, EXAMPLE_SLUG).await;
    for who in 0..ADDRESSES.len() {
        for pick in 0..3 {
            for title in titles_of(who, pick) {
                let shown = expected.iter().any(|(_, t, _)| t.contains(&title));
                assert_eq!(csv.contains(&title), shown, "{title} in the CSV after step {i}");
            }
        }
    }
    let names_shown = expected.iter().filter(|(n, _, _)| n == PROTECTED).count();
    assert_eq!(
        csv.matches(PROTECTED).count(),
        names_shown,
        "the protected name in the CSV after step {i}"
    );
    // The search finds exactly the listed signers whose words start so,
    // never one the list does not show, even from a cached result.
    for q in ["numero", "nom", "vigneault", "titre", "presidente", "officier"] {
        let mut wanted: Vec<_> = expected
            .iter()
            .filter(|(name, titles, _)| {
                std::iter::once(name)
                    .chain(titles)
                    .any(|text| fold(text).split(' ').any(|w| w.starts_with(q)))
            })
            .cloned()
            .collect();
        wanted.sort();
        let mut found = searched(app, q).await;
        found.sort();
        assert_eq!(found, wanted, "a search for {q:?} after step {i} of {steps:?}");
        // The search page too, which keeps its rendered pages: asked twice,
        // so that the second answer comes from memory.
        for _ in 0..2 {
            let (status, page) = app
                .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories?q={q}"))
                .await;
            assert_eq!(status, 200, "{page}");
            for who in 0..ADDRESSES.len() {
                for pick in 0..3 {
                    for title in titles_of(who, pick) {
                        let shown = wanted.iter().any(|(_, t, _)| t.contains(&title));
                        assert_eq!(
                            page.contains(&title),
                            shown,
                            "{title} on the search page for {q:?} after step {i} of {steps:?}"
                        );
                    }
                }
            }
        }
    }
    let confirmed = model
        .signers
        .iter()
        .filter(|s| s.state == State::Confirmed)
        .count() as i64;
    assert_eq!(
        app.api_count(EXAMPLE_SLUG).await,
        INITIAL + confirmed,
        "the count after step {i}"
    );
}

#[test]
fn the_public_list_is_always_what_owners_confirmed_and_moderation_allowed() {
    // Each case starts a server and a database of its own; PostgreSQL's
    // are slower to make, so it runs fewer.
    // TRUST_CASES runs more, for a longer hunt.
    let cases = std::env::var("TRUST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if std::env::var_os("TEST_DATABASE_URL").is_some() {
            16
        } else {
            64
        });
    let mut runner = TestRunner::new(Config {
        cases,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(step(), 8..40), |steps| {
        actix_web::rt::System::new().block_on(run(steps));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
