//! The codec-name rule (SPEC §5): `[a-z][a-z0-9_.-]*`, at most 32 bytes.
//!
//! The one implementation of the grammar: `gzcm-core` checks run-time names with it and
//! `gzcm-macros` includes this very file (by path) to check `#[codec(name = "...")]` at compile
//! time, so the two cannot drift. Standard library only, for that reason.

/// Longest allowed codec name, in bytes.
pub const MAX_LEN: usize = 32;

/// One broken part of the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// The name is longer than [`MAX_LEN`] bytes.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The name has ASCII upper-case letters (names are lowercase).
    UpperCase,
    /// The first character (after lowercasing) is not `a`-`z`.
    BadFirst(char),
    /// A later character (after lowercasing) is not `a`-`z`, `0`-`9`, `_`, `.` or `-`.
    BadChar(char),
}

impl NameProblem {
    /// A short reason, for run-time errors.
    #[must_use]
    pub const fn reason(self) -> &'static str {
        match self {
            NameProblem::Empty => "it is empty",
            NameProblem::TooLong { .. } => "it is longer than 32 bytes",
            NameProblem::UpperCase => "it has upper-case letters; names are lowercase",
            NameProblem::BadFirst(_) => "it must start with a lowercase ASCII letter",
            NameProblem::BadChar(_) => "only lowercase ASCII letters, digits, `_`, `.` and `-` are allowed",
        }
    }
}

/// Whether `c` may follow the first letter.
#[must_use]
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
}

/// Every broken part of the rule, each once, in this order: empty (alone), too long, upper
/// case, bad first character, first bad later character. Upper case is reported on its own and
/// the character rules are checked on the lowercased name, so `"Zstd"` has exactly one problem.
#[must_use]
pub fn problems(name: &str) -> Vec<NameProblem> {
    let Some(first) = name.chars().next() else {
        return vec![NameProblem::Empty];
    };
    let mut problems = Vec::new();
    if name.len() > MAX_LEN {
        problems.push(NameProblem::TooLong { len: name.len() });
    }
    let lower = name.to_ascii_lowercase();
    if name != lower {
        problems.push(NameProblem::UpperCase);
    }
    if !first.to_ascii_lowercase().is_ascii_lowercase() {
        problems.push(NameProblem::BadFirst(first));
    }
    if let Some(bad) = lower.chars().skip(1).find(|&c| !is_name_char(c)) {
        problems.push(NameProblem::BadChar(bad));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs in both crates that compile this file (gzcm-core, and gzcm-macros by path).
    #[test]
    fn the_rule_by_table() {
        let long = "a".repeat(33);
        let cases: [(&str, &[NameProblem]); 12] = [
            ("zstd", &[]),
            ("cmc_zstd", &[]),
            ("x1.2-b_c", &[]),
            (&long[..32], &[]),
            ("", &[NameProblem::Empty]),
            (&long, &[NameProblem::TooLong { len: 33 }]),
            ("Zstd", &[NameProblem::UpperCase]),
            ("1abc", &[NameProblem::BadFirst('1')]),
            ("_x", &[NameProblem::BadFirst('_')]),
            ("has space", &[NameProblem::BadChar(' ')]),
            ("ü", &[NameProblem::BadFirst('ü')]),
            ("My codec", &[NameProblem::UpperCase, NameProblem::BadChar(' ')]),
        ];
        for (name, expected) in cases {
            assert_eq!(problems(name), expected, "{name:?}");
        }
    }
}
