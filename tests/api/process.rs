//! The real binary as a separate process, for what only a process can
//! show: signals, `kill -9`, and a stop that must end.

use crate::helpers::{free_port, wait_until, PATIENCE};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Settings every process test starts from: no rate limits or fill-time
/// guard (the tests post as fast as a bot), a quick outbox, a short drain.
pub const FAST_CONFIG: &str = "min_fill_ms = 0\noutbox_poll_ms = 100\noutbox_retry_base_ms = 100\n\
                               outbox_retry_max_ms = 500\nshutdown_timeout_s = 1\n";

pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: Arc<Mutex<String>>,
    stopping: Option<Instant>,
}

impl ServerProcess {
    /// Starts `undersigned serve --example` on its own data folder, the
    /// database at `database_url`, with `config` as its file and `env`
    /// added, and waits until it answers.
    pub async fn start(
        data_dir: &Path,
        database_url: &str,
        config: &str,
        env: &[(&str, &str)],
    ) -> ServerProcess {
        let port = free_port();
        let config_path = data_dir.join(format!("undersigned-{port}.toml"));
        std::fs::create_dir_all(data_dir).expect("data folder");
        std::fs::write(&config_path, config).expect("write the configuration");
        let mut command = Command::new(env!("CARGO_BIN_EXE_undersigned"));
        command
            .args(["serve", "--example", "--bind", &format!("127.0.0.1:{port}")])
            .env("UNDERSIGNED_CONFIG", &config_path)
            .env("UNDERSIGNED_DATA_DIR", data_dir)
            .env("UNDERSIGNED_DATABASE_URL", database_url)
            .env("UNDERSIGNED_RATE_LIMITS", "off")
            .env(
                "UNDERSIGNED_SECRET_KEY",
                "a secret key shared by every node of a fault test",
            )
            .env_remove("UNDERSIGNED_SMTP_URL")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start the server");
        // Read all along, so that a busy server never blocks on a full pipe.
        let log = Arc::new(Mutex::new(String::new()));
        let (mut stderr, sink) = (child.stderr.take().expect("stderr"), log.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let server = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
            stopping: None,
        };
        server.wait_up().await;
        server
    }

    async fn wait_up(&self) {
        let client = reqwest::Client::new();
        let url = format!("{}/healthz", self.base);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if client
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not come up:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn signal(&mut self, signal: &str) {
        if signal == "TERM" {
            self.stopping = Some(Instant::now());
        }
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal}");
    }

    /// Waits for the process to end: its status, and how long after the
    /// stop signal it ended.
    pub async fn wait_exit(&mut self) -> (ExitStatus, Duration) {
        let child = &mut self.child;
        let status = wait_until("the server to exit", || child.try_wait().ok().flatten()).await;
        let took = self.stopping.map(|at| at.elapsed()).unwrap_or_default();
        (status, took)
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that reports redirects instead of following them, as the
/// signing tests read them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The example letter's form token, as a reader's browser would get it.
pub async fn form_token(client: &reqwest::Client, base: &str) -> String {
    let page = client
        .get(format!("{base}/letters/{}", crate::helpers::EXAMPLE_SLUG))
        .send()
        .await
        .expect("the letter page")
        .text()
        .await
        .expect("its text");
    crate::helpers::extract_form_token(&page).expect("a form token")
}

/// Posts a signature of the example letter; `None` when no answer came.
pub async fn post_signature(client: &reqwest::Client, base: &str, token: &str, email: &str) -> Option<u16> {
    let r = client
        .post(format!("{base}/letters/{}/sign", crate::helpers::EXAMPLE_SLUG))
        .form(&[
            ("name", "Signataire de charge"),
            ("email", email),
            ("visibility", "public"),
            ("consent", "yes"),
            ("form_token", token),
        ])
        .send()
        .await
        .ok()?;
    Some(r.status().as_u16())
}
