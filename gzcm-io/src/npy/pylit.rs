//! A tiny parser for the Python literal dictionary of a `.npy` header.
//!
//! It understands exactly what numpy writes there: a dict of string keys whose values are
//! strings, booleans, integers, and tuples or lists of those. Anything else is refused.

use crate::error::NpyFault;

/// A Python literal value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PyValue {
    Str(String),
    Bool(bool),
    Int(u64),
    /// A tuple `( … )` or a list `[ … ]`.
    Seq(Vec<PyValue>),
}

/// Deepest nesting accepted (numpy writes depth 2 at most for the dtypes gzcm reads).
const MAX_DEPTH: usize = 8;

fn bad(reason: &'static str) -> NpyFault {
    NpyFault::BadHeader { reason }
}

/// Parses `{'key': value, …}` into its entries, in order.
pub(crate) fn parse_dict(text: &str) -> Result<Vec<(String, PyValue)>, NpyFault> {
    let mut parser = Parser { bytes: text.as_bytes(), pos: 0 };
    parser.expect(b'{')?;
    let mut entries = Vec::new();
    loop {
        if parser.eat(b'}') {
            break;
        }
        let PyValue::Str(key) = parser.value(0)? else {
            return Err(bad("a key is not a string"));
        };
        parser.expect(b':')?;
        let value = parser.value(0)?;
        entries.push((key, value));
        if !parser.eat(b',') {
            parser.expect(b'}')?;
            break;
        }
    }
    parser.skip_space();
    if parser.pos != parser.bytes.len() {
        return Err(bad("text after the closing brace"));
    }
    Ok(entries)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.bytes.get(self.pos) == Some(&byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), NpyFault> {
        if self.eat(byte) { Ok(()) } else { Err(bad("unexpected character")) }
    }

    fn value(&mut self, depth: usize) -> Result<PyValue, NpyFault> {
        if depth > MAX_DEPTH {
            return Err(bad("nested too deeply"));
        }
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(b'\'' | b'"') => self.string(),
            Some(b'(') => self.sequence(b')', depth),
            Some(b'[') => self.sequence(b']', depth),
            Some(b) if b.is_ascii_digit() => self.integer(),
            Some(_) => self.word(),
            None => Err(bad("the header ends inside the dictionary")),
        }
    }

    fn string(&mut self) -> Result<PyValue, NpyFault> {
        let quote = self.bytes[self.pos];
        let start = self.pos + 1;
        let len = self.bytes[start..].iter().position(|&b| b == quote).ok_or(bad("unterminated string"))?;
        self.pos = start + len + 1;
        let text =
            std::str::from_utf8(&self.bytes[start..start + len]).map_err(|_| bad("a string is not UTF-8"))?;
        Ok(PyValue::Str(text.to_owned()))
    }

    fn sequence(&mut self, close: u8, depth: usize) -> Result<PyValue, NpyFault> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(PyValue::Seq(items));
            }
            items.push(self.value(depth + 1)?);
            if !self.eat(b',') {
                self.expect(close)?;
                return Ok(PyValue::Seq(items));
            }
        }
    }

    fn integer(&mut self) -> Result<PyValue, NpyFault> {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| bad("digits"))?;
        let value = digits.parse().map_err(|_| bad("an integer does not fit 64 bits"))?;
        // Python 2 era files may write long integers with an `L` suffix.
        if self.bytes.get(self.pos) == Some(&b'L') {
            self.pos += 1;
        }
        Ok(PyValue::Int(value))
    }

    fn word(&mut self) -> Result<PyValue, NpyFault> {
        let rest = &self.bytes[self.pos..];
        for (word, value) in [(&b"True"[..], true), (&b"False"[..], false)] {
            if rest.starts_with(word) {
                self.pos += word.len();
                return Ok(PyValue::Bool(value));
            }
        }
        Err(bad("unexpected value (only strings, booleans, integers and tuples are read)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_header_parses() {
        let text = "{'descr': '<f4', 'fortran_order': False, 'shape': (206, 622), }    \n";
        let entries = parse_dict(text).unwrap();
        assert_eq!(entries[0], ("descr".into(), PyValue::Str("<f4".into())));
        assert_eq!(entries[1], ("fortran_order".into(), PyValue::Bool(false)));
        assert_eq!(entries[2], ("shape".into(), PyValue::Seq(vec![PyValue::Int(206), PyValue::Int(622)])));
    }

    #[test]
    fn one_element_tuples_and_empty_dicts_parse() {
        assert_eq!(parse_dict("{}").unwrap(), vec![]);
        let entries = parse_dict("{\"shape\": (5,)}").unwrap();
        assert_eq!(entries[0].1, PyValue::Seq(vec![PyValue::Int(5)]));
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        for text in [
            "",
            "{",
            "{'a' 1}",
            "{'a': (1, 2}",
            "{'a': None}",
            "{1: 2}",
            "{'a': 1} x",
            "{'a': '",
            "{'a': 99999999999999999999999}",
            "[[[[[[[[[[[[",
        ] {
            assert!(parse_dict(text).is_err(), "{text}");
        }
        let deep = format!("{{'a': {}1{}}}", "(".repeat(20), ")".repeat(20));
        assert!(parse_dict(&deep).is_err());
    }
}
