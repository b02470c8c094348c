//! Progress bars on stderr, drawn only when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting up to `len` units named `unit` (hidden when stderr is not a terminal).
pub(crate) fn bar(len: u64, message: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), target());
    let template = format!("{{msg}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{elapsed}}, eta {{eta}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}

/// A spinner for work of unknown length (hidden when stderr is not a terminal).
pub(crate) fn spinner(message: &str) -> ProgressBar {
    let spinner = ProgressBar::with_draw_target(None, target());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.set_message(message.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

fn target() -> ProgressDrawTarget {
    if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() }
}

/// A conversion's progress as indicatif bars: a bar per phase of known length, a spinner
/// otherwise.
#[derive(Default)]
pub(crate) struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn with(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(current) = self.current.lock()
            && let Some(bar) = current.as_ref()
        {
            f(bar);
        }
    }
}

impl gzcm_convert::Progress for Bars {
    fn begin(&self, message: &str, unit: &str, total: Option<u64>) {
        let new = match total {
            Some(total) => bar(total, message, unit),
            None => spinner(message),
        };
        if let Ok(mut current) = self.current.lock()
            && let Some(old) = current.replace(new)
        {
            old.finish_and_clear();
        }
    }

    fn set_position(&self, done: u64) {
        self.with(|bar| bar.set_position(done));
    }

    fn set_total(&self, total: u64) {
        self.with(|bar| bar.set_length(total));
    }

    fn set_message(&self, message: &str) {
        self.with(|bar| bar.set_message(message.to_owned()));
    }

    fn end(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some(bar) = current.take()
        {
            bar.finish_and_clear();
        }
    }
}
