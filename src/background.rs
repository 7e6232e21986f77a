//! A named background thread that stops when asked, on shutdown or drop.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

pub struct BackgroundThread {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// For the log line should the thread have panicked.
    what: &'static str,
}

impl BackgroundThread {
    /// Starts `body` on a thread called `name`. The body should return once
    /// its receiver yields a message or reports the sender gone.
    pub fn spawn(
        name: &str,
        what: &'static str,
        body: impl FnOnce(Receiver<()>) + Send + 'static,
    ) -> std::io::Result<BackgroundThread> {
        let (tx, rx) = channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || body(rx))?;
        Ok(BackgroundThread {
            stop: Some(tx),
            thread: Some(thread),
            what,
        })
    }

    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        // Dropping the sender wakes the thread at once.
        self.stop.take();
        if let Some(t) = self.thread.take() {
            if t.join().is_err() {
                tracing::error!("{} thread panicked", self.what);
            }
        }
    }
}

impl Drop for BackgroundThread {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
