//! How a conversion reports progress: the CLI draws indicatif bars, the Python package calls
//! back into tqdm, tests show nothing.

/// Receives a conversion's progress. Every method has an empty default, so a front end
/// implements only what it shows.
pub trait Progress: Send + Sync {
    /// A phase begins: `message` for the user, `total` units named `unit` when known (a spinner
    /// otherwise).
    fn begin(&self, message: &str, unit: &str, total: Option<u64>) {
        let _ = (message, unit, total);
    }

    /// The current phase has done `done` units.
    fn set_position(&self, done: u64) {
        let _ = done;
    }

    /// The current phase turned out to have `total` units.
    fn set_total(&self, total: u64) {
        let _ = total;
    }

    /// The current phase's message changes.
    fn set_message(&self, message: &str) {
        let _ = message;
    }

    /// The current phase ended.
    fn end(&self) {}

    /// The writer finished `done` of `total` bands (tile rows); called from the writer's threads.
    fn bands(&self, done: u32, total: u32) {
        let _ = (done, total);
    }
}

/// Shows nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// A phase that calls [`Progress::end`] when dropped, so an error cannot leave a bar drawn.
pub(crate) struct Phase<'a>(&'a dyn Progress);

impl<'a> Phase<'a> {
    /// Begins a phase on `progress`.
    pub(crate) fn begin(progress: &'a dyn Progress, message: &str, unit: &str, total: Option<u64>) -> Self {
        progress.begin(message, unit, total);
        Phase(progress)
    }
}

impl<'a> std::ops::Deref for Phase<'a> {
    type Target = dyn Progress + 'a;

    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl Drop for Phase<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}
