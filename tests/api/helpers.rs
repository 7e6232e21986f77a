//! Test harness: the real server on a random port, a fresh database per test
//! (a SQLite file, or a PostgreSQL database when TEST_DATABASE_URL is set),
//! and an SMTP sink that speaks real SMTP.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant, SystemTime};
use undersigned::app::Application;
use undersigned::config::Settings;
use undersigned::db::{self, DatabaseUrl, DbError, Pool};
use undersigned::domain::LetterFile;

pub const EXAMPLE_SLUG: &str = "avenir-cooperatives-habitation";

/// How long a test waits for something that should happen promptly before
/// failing; generous because CI machines stall.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Makes the database refuse inserts and updates of `table` rows for which
/// `when` (an SQL condition on `NEW`) holds, as a full disk refuses them.
pub fn refuse_writes(conn: &mut db::DbConn, table: &str, when: &str) {
    let statements = match conn {
        db::DbConn::Sqlite(_) => ["UPDATE", "INSERT"]
            .iter()
            .map(|op| {
                format!(
                    "CREATE TRIGGER refuse_{table}_{op} BEFORE {op} ON {table} WHEN {when} \
                     BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
                )
            })
            .collect::<Vec<_>>(),
        db::DbConn::Pg(_) => vec![
            format!(
                "CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF {when} THEN RAISE EXCEPTION 'could not extend file: No space left on device'; \
                 END IF; RETURN NEW; END $$"
            ),
            format!(
                "CREATE TRIGGER refuse_{table} BEFORE INSERT OR UPDATE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION refuse_{table}()"
            ),
        ],
    };
    for sql in statements {
        conn.batch_execute(&sql).expect("install the refusal");
    }
}

/// Undoes [`refuse_writes`].
pub fn allow_writes(conn: &mut db::DbConn, table: &str) {
    let sql = match conn {
        db::DbConn::Sqlite(_) => {
            format!("DROP TRIGGER refuse_{table}_UPDATE; DROP TRIGGER refuse_{table}_INSERT;")
        }
        db::DbConn::Pg(_) => {
            format!("DROP TRIGGER refuse_{table} ON {table}; DROP FUNCTION refuse_{table}();")
        }
    };
    conn.batch_execute(&sql).expect("drop the refusal");
}

/// The metrics token of apps that turn `/metrics` on.
pub const METRICS_TOKEN: &str = "jeton-de-metriques-de-test";

static TRACING: Once = Once::new();

fn init_tracing() {
    TRACING.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            undersigned::telemetry::init(undersigned::config::LogFormat::Text);
        }
    });
}

/// Waits for a condition, checking it every few milliseconds. This is not a
/// sleep standing in for synchronisation: it returns as soon as the
/// condition holds and fails the test when it never does.
pub async fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One database for one test, dropped afterwards.
pub enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    pub fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin_url) => {
                let name = format!("undersigned_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
                });
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create test database");
                let url = replace_db_name(&admin_url, &name);
                TestDb::Postgres { admin_url, name, url }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb::Sqlite { _dir: dir, url }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name, .. } = self {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: Pool,
    // Held so the folders live as long as the server.
    _data_dir: tempfile::TempDir,
    pub settings: Settings,
    server: ServerThread,
    // Dropped last, after the server lets go of its connections.
    _db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.stop();
    }
}

/// The server of a test, on a thread and runtime of its own, stopped and
/// joined when the test ends. Run on the test's own runtime, it was never
/// stopped: that runtime ends with the test, taking with it the task that
/// would have carried out the stop, while the server's worker threads (and
/// the pools and writers they hold) lived on until the test binary exited,
/// reconnecting to a database the test had dropped: on PostgreSQL, hundreds
/// of failed connections a run.
struct ServerThread {
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServerThread {
    /// Starts the application; returns it with its address and pool.
    fn start(settings: &Settings) -> (ServerThread, String, Pool) {
        let settings = settings.clone();
        let (started, ready) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&settings).expect("application starts");
                let address = format!("http://{}", app.addr());
                // The test waits on this; it cannot have gone.
                let _ = started.send((address, app.pool().clone(), app.handle()));
                let _ = app.run_until_stopped().await;
            });
        });
        let (address, pool, handle) = ready.recv().expect("the server thread started the application");
        let server = ServerThread {
            handle,
            thread: Some(thread),
        };
        (server, address, pool)
    }

    /// Stops the server at once and waits for its threads and background
    /// jobs to end. The command goes out when `stop` is called; its future
    /// only reports completion, which the join waits for instead.
    fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            drop(self.handle.stop(false));
            let _ = thread.join();
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the real server. `configure` adjusts the settings first, for
/// example to point mail at an SMTP sink.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    init_tracing();
    let db = TestDb::new();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::for_data_dir(data_dir.path());
    settings.database_url = DatabaseUrl::parse(db.url()).expect("test database url");
    settings.bind = "127.0.0.1:0".into();
    settings.pool_size = 4;
    // Two, so that on PostgreSQL the busy paths' writes can meet each
    // other's rows from another writer's transaction, as in production.
    settings.database.pg_writers = 2;
    settings.http_workers = 1;
    settings.outbox_retry_base = Duration::from_millis(50);
    settings.outbox_retry_max = Duration::from_millis(200);
    settings.outbox_poll = Duration::from_millis(100);
    // Tests post as fast as a bot; the tests of these guards turn them on.
    settings.min_fill = Duration::ZERO;
    settings.rate_limits_enabled = false;
    configure(&mut settings);

    let (server, address, pool) = ServerThread::start(&settings);

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client");
    let test_app = TestApp {
        address,
        client,
        pool,
        _data_dir: data_dir,
        settings,
        server,
        _db: db,
    };
    test_app.publish(&undersigned::example::letter());
    test_app
}

/// A received or written email, decoded.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Email {
    pub fn parse(raw: &[u8]) -> Email {
        let msg = mail_parser::MessageParser::default()
            .parse(raw)
            .expect("a parsable email");
        Email {
            to: msg
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string(),
            subject: msg.subject().unwrap_or_default().to_string(),
            text: msg.body_text(0).map(|c| c.into_owned()).unwrap_or_default(),
            html: msg.body_html(0).map(|c| c.into_owned()).unwrap_or_default(),
            raw: String::from_utf8_lossy(raw).into_owned(),
        }
    }

    /// The first link in the text part whose path starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(prefix))
            .unwrap_or_else(|| panic!("no {prefix} link in email:\n{}", self.text))
            .to_string()
    }

    pub fn confirm_link(&self) -> String {
        self.link("/confirm/")
    }

    pub fn withdraw_link(&self) -> String {
        self.link("/withdraw/")
    }
}

impl TestApp {
    /// The test database's URL, for running the binary against it.
    pub fn db_url(&self) -> &str {
        self._db.url()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn conn(&self) -> db::PooledConn {
        self.pool.get().expect("a database connection")
    }

    pub fn with_conn<T>(&self, f: impl FnOnce(&mut db::PooledConn) -> T) -> T {
        let mut conn = self.conn();
        f(&mut conn)
    }

    /// Runs `f` in a write transaction, as the service's use cases run.
    pub fn with_tx<T>(
        &self,
        f: impl FnOnce(&mut undersigned::db::Tx<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut conn = self.conn();
        db::write_tx(&mut conn, f)
    }

    pub fn publish(&self, letter: &LetterFile) -> undersigned::db::letters::Letter {
        self.with_tx(|c| undersigned::db::letters::publish_file(c, letter, db::now()))
            .expect("publish letter")
            .0
    }

    pub fn publish_source(&self, source: &str) -> undersigned::db::letters::Letter {
        self.publish(&LetterFile::parse(source).expect("test letter parses"))
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a form to a full URL, such as a link from an email.
    pub async fn post_form_url(&self, url: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(url).form(fields).send().await.expect("POST")
    }

    /// The signed hidden field of a letter's form, as a browser gets it.
    pub async fn form_token(&self, slug: &str) -> String {
        let (_, body) = self.get_html(&format!("/letters/{slug}")).await;
        extract_form_token(&body).unwrap_or_default()
    }

    /// Posts the signing form the way a browser does: with the form token of
    /// a freshly loaded page, unless the test gives its own.
    pub async fn sign(&self, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.form_token(slug).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if !form.iter().any(|(k, _)| *k == "form_token") {
            form.push(("form_token", &token));
        }
        self.post_form(&format!("/letters/{slug}/sign"), &form).await
    }

    /// Signs the example letter with sensible defaults for the fields not given.
    pub async fn sign_as(&self, name: &str, email: &str) -> reqwest::Response {
        self.sign(
            EXAMPLE_SLUG,
            &[
                ("name", name),
                ("email", email),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await
    }

    /// The metrics page, for an app started with [`METRICS_TOKEN`].
    pub async fn metrics(&self) -> String {
        let r = self
            .client
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status().as_u16(), 200, "metrics need METRICS_TOKEN");
        r.text().await.expect("metrics text")
    }

    pub async fn post(&self, url: &str) -> reqwest::Response {
        self.client.post(url).send().await.expect("POST")
    }

    pub async fn api_count(&self, slug: &str) -> i64 {
        let json: serde_json::Value = self
            .get(&format!("/api/v1/letters/{slug}"))
            .await
            .json()
            .await
            .expect("json");
        json["signature_count"].as_i64().expect("count")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.settings.outbox_dir()
    }

    /// Emails written to the file outbox for `to`, oldest first.
    pub fn file_emails(&self, to: &str) -> Vec<Email> {
        read_outbox_dir(&self.outbox_dir())
            .into_iter()
            .filter(|e| e.to == to)
            .collect()
    }

    pub async fn wait_for_file_emails(&self, to: &str, count: usize) -> Vec<Email> {
        wait_until(&format!("{count} email(s) to {to}"), || {
            let emails = self.file_emails(to);
            (emails.len() >= count).then_some(emails)
        })
        .await
    }

    /// Waits until the outbox table has nothing left to deliver.
    pub async fn wait_for_outbox_drained(&self) {
        wait_until("the outbox to drain", || {
            let (pending, _) = self
                .with_conn(|c| undersigned::db::outbox::depth(c))
                .expect("depth");
            (pending == 0).then_some(())
        })
        .await
    }

    /// Signs and confirms in one go, returning the withdrawal link of the
    /// confirmation email.
    pub async fn sign_and_confirm(&self, name: &str, email: &str) -> String {
        let before = self.file_emails(email).len();
        let r = self.sign_as(name, email).await;
        assert_eq!(r.status().as_u16(), 303, "signing {name} <{email}>");
        let emails = self.wait_for_file_emails(email, before + 1).await;
        let email = emails.last().expect("an email");
        let r = self.post(&email.confirm_link()).await;
        assert_eq!(r.status().as_u16(), 200, "confirming {name}");
        email.withdraw_link()
    }

    /// Signs and confirms a given letter.
    pub async fn sign_and_confirm_on(&self, slug: &str, name: &str, email: &str) {
        let before = self.file_emails(email).len();
        let r = self
            .sign(
                slug,
                &[
                    ("name", name),
                    ("email", email),
                    ("visibility", "public"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "signing {name} <{email}>");
        let emails = self.wait_for_file_emails(email, before + 1).await;
        let r = self.post(&emails.last().expect("an email").confirm_link()).await;
        assert_eq!(r.status().as_u16(), 200, "confirming {name}");
    }

    /// Counts rows of a table, to prove that refused input stored nothing.
    pub fn row_count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        use undersigned::db::schema::{letters, mailings, outbox, signatures, tokens};
        self.with_conn(|c| match table {
            "mailings" => mailings::table.count().get_result(c),
            "signatures" => signatures::table.count().get_result(c),
            "outbox" => outbox::table.count().get_result(c),
            "tokens" => tokens::table.count().get_result(c),
            "letters" => letters::table.count().get_result(c),
            other => panic!("unknown table {other}"),
        })
        .expect("count")
    }
}

pub fn extract_form_token(html: &str) -> Option<String> {
    let marker = "name=\"form_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

pub fn read_outbox_dir(dir: &Path) -> Vec<Email> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|(_, p)| std::fs::read(p).ok())
        .filter(|bytes| !bytes.is_empty())
        .map(|bytes| Email::parse(&bytes))
        .collect()
}

/// What the SMTP sink does with the next message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkMode {
    Accept,
    /// Answer 451 at RCPT to this many messages, then accept.
    RefuseTransient(usize),
    /// Refuse every recipient with 550.
    RefusePermanent,
    /// Accept this many messages, then hold each next one at the end of
    /// its DATA, without an answer, until [`SmtpSink::release`].
    StallAfter(usize),
}

#[derive(Clone)]
struct SinkHandler {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    refusals_left: Arc<Mutex<usize>>,
    mode: SinkMode,
    attempts: Arc<Mutex<usize>>,
    sessions: Arc<Mutex<usize>>,
    current: Vec<u8>,
    /// Open once released; messages past `StallAfter` wait on it.
    gate: Arc<(Mutex<bool>, std::sync::Condvar)>,
}

impl mailin_embedded::Handler for SinkHandler {
    fn helo(&mut self, _ip: std::net::IpAddr, _domain: &str) -> mailin_embedded::Response {
        *self.sessions.lock().unwrap() += 1;
        mailin_embedded::response::OK
    }

    fn rcpt(&mut self, _to: &str) -> mailin_embedded::Response {
        *self.attempts.lock().unwrap() += 1;
        if self.mode == SinkMode::RefusePermanent {
            return mailin_embedded::response::NO_MAILBOX;
        }
        // Refuse for now at RCPT, as a greylisting server does.
        let mut left = self.refusals_left.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            return mailin_embedded::Response::custom(451, "4.7.1 greylisted, try again later".to_string());
        }
        mailin_embedded::response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let SinkMode::StallAfter(n) = self.mode {
            if self.received.lock().unwrap().len() >= n {
                let (open, opened) = &*self.gate;
                let mut open = open.lock().unwrap();
                while !*open {
                    open = opened.wait(open).unwrap();
                }
            }
        }
        self.received
            .lock()
            .unwrap()
            .push(std::mem::take(&mut self.current));
        mailin_embedded::response::OK
    }
}

/// An SMTP server inside the test, on a loopback port.
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    attempts: Arc<Mutex<usize>>,
    sessions: Arc<Mutex<usize>>,
    gate: Arc<(Mutex<bool>, std::sync::Condvar)>,
}

impl SmtpSink {
    pub fn start(mode: SinkMode) -> SmtpSink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind sink");
        Self::start_on(listener, mode)
    }

    /// Starts on a listener bound earlier, to play a server that comes back.
    pub fn start_on(listener: std::net::TcpListener, mode: SinkMode) -> SmtpSink {
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(Mutex::new(0));
        let sessions = Arc::new(Mutex::new(0));
        let gate = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let handler = SinkHandler {
            gate: gate.clone(),
            received: received.clone(),
            refusals_left: Arc::new(Mutex::new(match mode {
                SinkMode::RefuseTransient(n) => n,
                _ => 0,
            })),
            mode,
            attempts: attempts.clone(),
            sessions: sessions.clone(),
            current: Vec::new(),
        };
        let mut server = mailin_embedded::Server::new(handler);
        server
            .with_name("sink.test")
            // One thread per connection, and each server's outbox worker
            // may keep `smtp_connections` open.
            .with_num_threads(64)
            .with_tcp_listener(listener);
        // The server has no stop; its thread ends with the test process.
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpSink {
            port,
            received,
            attempts,
            sessions,
            gate,
        }
    }

    /// Lets the messages held by `StallAfter` through, and all later ones.
    pub fn release(&self) {
        let (open, opened) = &*self.gate;
        *open.lock().unwrap() = true;
        opened.notify_all();
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn emails(&self) -> Vec<Email> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|raw| Email::parse(raw))
            .collect()
    }

    pub fn attempts(&self) -> usize {
        *self.attempts.lock().unwrap()
    }

    /// SMTP sessions opened (EHLO or HELO), that is connections.
    pub fn sessions(&self) -> usize {
        *self.sessions.lock().unwrap()
    }

    pub async fn wait_for(&self, count: usize) -> Vec<Email> {
        wait_until(&format!("{count} email(s) at the SMTP sink"), || {
            let emails = self.emails();
            (emails.len() >= count).then_some(emails)
        })
        .await
    }
}

/// A loopback port with nothing listening on it: connections to it are
/// refused until a sink is started there.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Raw letter file text, for tests that need their own letters.
pub fn letter_source(slug: &str, language: &str, status_extra: &str) -> String {
    // Written in the letter's language, as its organizers would.
    let (title, addressees, preamble, body) = match language {
        "en" => (
            format!("Letter “{slug}”"),
            "To the Government of Quebec",
            "We, the undersigned:",
            "Body of the letter.",
        ),
        _ => (
            format!("Lettre « {slug} »"),
            "Au gouvernement du Québec",
            "Nous soussignés\u{a0}:",
            "Corps de la lettre.",
        ),
    };
    format!(
        "+++\nslug = \"{slug}\"\nlanguage = \"{language}\"\ntitle = \"{title}\"\nplace = \"Québec\"\ndate = 2015-05-26\naddressees = \"{addressees}\"\npreamble = \"{preamble}\"\n{status_extra}\n+++\n{body}\n"
    )
}

/// A TCP proxy in front of the database, for outages on demand: `cut`
/// closes every connection through it and refuses new ones, `restore`
/// lets them through again, and `freeze` keeps every connection open but
/// passes nothing, as a server stopped dead (SIGSTOP, a hung disk) would.
pub struct TcpProxy {
    pub port: u16,
    state: Arc<Mutex<ProxyState>>,
    /// Frozen: bytes wait here, in the copying threads, until thawed.
    frozen: Arc<(Mutex<bool>, std::sync::Condvar)>,
    /// Bytes that arrived while frozen.
    held: Arc<std::sync::atomic::AtomicUsize>,
}

struct ProxyState {
    open: bool,
    streams: Vec<std::net::TcpStream>,
}

impl TcpProxy {
    pub fn start(upstream: &str) -> TcpProxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(ProxyState {
            open: true,
            streams: Vec::new(),
        }));
        let frozen = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let held = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (shared, upstream) = (state.clone(), upstream.to_string());
        let (gate, count) = (frozen.clone(), held.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let mut state = shared.lock().unwrap();
                if !state.open {
                    continue; // dropped: the connection is refused
                }
                let Ok(server) = std::net::TcpStream::connect(&upstream) else {
                    continue;
                };
                for (from, to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server.try_clone().unwrap(), client.try_clone().unwrap()),
                ] {
                    let (gate, count) = (gate.clone(), count.clone());
                    std::thread::spawn(move || pump(from, to, &gate, &count));
                }
                state.streams.extend([client, server]);
            }
        });
        TcpProxy {
            port,
            state,
            frozen,
            held,
        }
    }

    /// A PostgreSQL URL that goes through this proxy instead of to `url`'s
    /// host and port.
    pub fn url_for(&self, url: &str) -> String {
        let (head, rest) = url.split_once('@').expect("a URL with user@host");
        let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
        format!("{head}@127.0.0.1:{}{path}", self.port)
    }

    pub fn cut(&self) {
        let mut state = self.state.lock().unwrap();
        state.open = false;
        for stream in state.streams.drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }

    pub fn restore(&self) {
        self.state.lock().unwrap().open = true;
    }

    pub fn freeze(&self) {
        *self.frozen.0.lock().unwrap() = true;
    }

    pub fn thaw(&self) {
        *self.frozen.0.lock().unwrap() = false;
        self.frozen.1.notify_all();
    }

    /// Bytes held back since the proxy froze: a query has been sent.
    pub fn held(&self) -> usize {
        self.held.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Copies `from` to `to`, holding each chunk while the proxy is frozen.
fn pump(
    mut from: std::net::TcpStream,
    mut to: std::net::TcpStream,
    gate: &(Mutex<bool>, std::sync::Condvar),
    held: &std::sync::atomic::AtomicUsize,
) {
    use std::io::{Read, Write};
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        let mut frozen = gate.0.lock().unwrap();
        if *frozen {
            held.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        }
        while *frozen {
            frozen = gate.1.wait(frozen).unwrap();
        }
        drop(frozen);
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Both);
}

/// An SMTP port where something listens but hangs up at once, counting
/// the connections: a server that is down, seen from the worker.
pub struct DeadSmtp {
    pub port: u16,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<std::net::TcpListener>>,
}

impl DeadSmtp {
    pub fn start() -> DeadSmtp {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("non-blocking");
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (count, stopped) = (connections.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        drop(stream);
                    }
                    // Nobody knocking: look again shortly.
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
            listener
        });
        DeadSmtp {
            port,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Stops hanging up and hands over the port, for a real sink.
    pub fn into_listener(mut self) -> std::net::TcpListener {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let listener = self
            .thread
            .take()
            .expect("running")
            .join()
            .expect("dead SMTP thread");
        listener.set_nonblocking(false).expect("blocking");
        listener
    }
}

/// The host and port of a PostgreSQL URL.
pub fn pg_host_port(url: &str) -> String {
    let rest = url.split_once('@').map(|(_, r)| r).unwrap_or(url);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].to_string()
}
