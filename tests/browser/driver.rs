//! Starting Chromium through chromedriver, and the checks every page gets:
//! no horizontal scrolling, a screenshot, French and English typography in
//! every text in its `lang`, and axe-core on public pages.

use crate::helpers::{free_port, PATIENCE};
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{json, Value};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use undersigned::domain::Lang;
use undersigned::i18n::I18n;

/// One Chromium at a time: the machines running these have few cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    Wide,
    /// 375 CSS pixels, a small phone.
    Narrow,
}

/// Every combination a scenario runs in.
pub fn runs() -> [(Lang, Viewport); 4] {
    [
        (Lang::FR, Viewport::Wide),
        (Lang::FR, Viewport::Narrow),
        (Lang::EN, Viewport::Wide),
        (Lang::EN, Viewport::Narrow),
    ]
}

pub type Steps<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Runs a scenario in every language and viewport, each in a fresh browser
/// that is closed even when a step fails.
pub async fn run_all(scenario: &str, steps: impl for<'a> Fn(&'a Browser) -> Steps<'a>) {
    for (lang, viewport) in runs() {
        let Some(browser) = Browser::start(scenario, lang, viewport).await else {
            return;
        };
        let outcome = AssertUnwindSafe(steps(&browser)).catch_unwind().await;
        browser.finish().await;
        if let Err(panic) = outcome {
            eprintln!("{scenario} failed in {} at {viewport:?}", lang.code());
            std::panic::resume_unwind(panic);
        }
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The browser binaries, or `None` (after one loud line) when they are
/// absent outside CI.
fn binaries() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| find_in_path("chromium"));
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find_in_path("chromedriver"));
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but chromium or chromedriver is missing: apt-get install chromium chromium-driver"
            )
        }
        _ => {
            eprintln!(
                "!!!!! SKIPPING BROWSER TESTS: chromium/chromedriver not found (apt-get install chromium chromium-driver) !!!!!"
            );
            None
        }
    }
}

fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_path("target/axe/node_modules/axe-core/axe.min.js"));
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but axe-core is missing at {}: {e}", path.display())
        }
        Err(_) => {
            eprintln!(
                "!!!!! SKIPPING AXE CHECKS: {} missing (npm install --prefix target/axe axe-core) !!!!!",
                path.display()
            );
            None
        }
    }
}

pub struct Browser {
    pub client: Client,
    pub lang: Lang,
    pub viewport: Viewport,
    pub i18n: I18n,
    scenario: String,
    axe: Option<String>,
    driver: Child,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// Starts chromedriver on a free port and a fresh Chromium profile.
    pub async fn start(scenario: &str, lang: Lang, viewport: Viewport) -> Option<Browser> {
        let (chromium, driver_bin) = binaries()?;
        let turn = ONE_AT_A_TIME.lock().await;
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--disable-dev-shm-usage".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--lang={}", lang.code()),
        ];
        // The browser asks for the run's language, as a reader's would:
        // pages that follow `Accept-Language` are tested through it.
        let mut options = json!({
            "binary": chromium,
            "prefs": { "intl.accept_languages": lang.code() },
        });
        match viewport {
            Viewport::Wide => args.push("--window-size=1280,900".into()),
            Viewport::Narrow => {
                args.push("--window-size=375,812".into());
                // Emulation fixes the layout viewport at 375 CSS pixels,
                // whatever the smallest window the platform allows.
                options["mobileEmulation"] =
                    json!({ "deviceMetrics": { "width": 375, "height": 812, "pixelRatio": 1.0 } });
            }
        }
        options["args"] = json!(args);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        // chromedriver takes a moment to listen; retry until it answers.
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) => {
                    assert!(Instant::now() < deadline, "chromedriver did not start: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        Some(Browser {
            client,
            lang,
            viewport,
            i18n: I18n::new().expect("i18n"),
            scenario: scenario.to_string(),
            axe: axe_source(),
            driver,
            _profile: profile,
            _turn: turn,
        })
    }

    /// Ends the session (Chromium quits) before chromedriver is stopped.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }

    pub fn t(&self, id: &str) -> String {
        self.i18n.tr(self.lang).t(id)
    }

    pub fn count_text(&self, n: i64) -> String {
        let tr = self.i18n.tr(self.lang);
        tr.ta(
            "signature-count",
            &[
                ("count", undersigned::i18n::Arg::Num(n)),
                ("display", tr.count(n).into()),
            ],
        )
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// An attribute of the first element `css` finds, or "" without it.
    pub async fn attr(&self, css: &str, name: &str) -> String {
        self.find(css)
            .await
            .attr(name)
            .await
            .expect("attribute")
            .unwrap_or_default()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                // Say where the browser was: the page usually tells why.
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                let main = match self.client.find(Locator::Css("main")).await {
                    Ok(m) => m.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("no element {css} at {url}: {e}\n{main}")
            }
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Waits until the heading reads `expected`: the sign that the next
    /// page has loaded.
    pub async fn wait_for_heading(&self, expected: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let now = match self.client.find(Locator::Css("main h1")).await {
                Ok(h) => h.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if now == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "heading is {now:?}, expected {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for_url(&self, part: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await.expect("url").to_string();
            if url.contains(part) {
                return url;
            }
            assert!(
                Instant::now() < deadline,
                "url is {url}, expected it to contain {part}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The checks every page gets; `public` pages also go through axe-core.
    pub async fn check_page(&self, step: &str, public: bool) {
        let (scroll, inner): (i64, i64) = {
            let v = self
                .client
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await
                .expect("measure");
            (v[0].as_i64().unwrap_or(i64::MAX), v[1].as_i64().unwrap_or(0))
        };
        if self.viewport == Viewport::Narrow {
            assert_eq!(inner, 375, "{step}: the narrow viewport is {inner} wide");
        }
        let name = format!(
            "{}-{}-{}-{step}",
            self.scenario,
            self.lang.code(),
            match self.viewport {
                Viewport::Wide => "wide",
                Viewport::Narrow => "375",
            }
        );
        let dir = repo_path("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("save screenshot");
        assert!(scroll <= inner, "{name}: scrolls sideways ({scroll} > {inner})");
        // Every page speaks the run's language, whatever the letter's.
        assert_eq!(
            self.attr("html", "lang").await,
            self.lang.code(),
            "{name}: the interface's language"
        );
        self.typography(&name).await;
        if public {
            self.axe(&name).await;
        }
    }

    /// Every text a person reads on the page, in the language its nearest
    /// `lang` says, against the typographic rules (a code sample aside).
    async fn typography(&self, name: &str) {
        let found = self
            .client
            .execute(
                "const out = [];
                 const langOf = el => { const h = el.closest('[lang]'); return h ? h.getAttribute('lang') : ''; };
                 const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                 while (walk.nextNode()) {
                   const n = walk.currentNode, el = n.parentElement;
                   if (!el || el.closest('script, style, textarea, code, pre') || !n.nodeValue.trim()) continue;
                   out.push([langOf(el), n.nodeValue]);
                 }
                 for (const el of document.querySelectorAll('[title], [aria-label], [alt], [placeholder]')) {
                   for (const a of ['title', 'aria-label', 'alt', 'placeholder']) {
                     if (el.hasAttribute(a)) out.push([langOf(el), el.getAttribute(a)]);
                   }
                 }
                 out.push([document.documentElement.lang, document.title]);
                 return out;",
                vec![],
            )
            .await
            .expect("read the page's texts");
        let mut faults = Vec::new();
        for pair in found.as_array().into_iter().flatten() {
            let (Some(lang), Some(text)) = (pair[0].as_str(), pair[1].as_str()) else {
                continue;
            };
            let Ok(lang) = lang.parse::<Lang>() else { continue };
            for f in undersigned::i18n::typography::check(lang, text) {
                faults.push(format!("{lang}: {} in {:?}", f.what, f.context));
            }
        }
        faults.dedup();
        assert!(faults.is_empty(), "{name}: typography:\n{}", faults.join("\n"));
    }

    async fn axe(&self, name: &str) {
        let Some(source) = &self.axe else { return };
        self.client
            .execute(source, vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' @ '
                          + v.nodes.map(n => n.target.join(' ')).join(' | '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let violations: Vec<String> = match found {
            Value::Array(list) => list
                .iter()
                .map(|v| v.as_str().unwrap_or("?").to_string())
                .collect(),
            other => vec![format!("unexpected axe answer: {other}")],
        };
        assert!(
            violations.is_empty(),
            "{name}: accessibility violations:\n{}",
            violations.join("\n")
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Only the chromedriver this test started, by its own handle.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
