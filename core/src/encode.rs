//! Percent-encoding of path segments.

use std::fmt::{self, Display};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Every byte outside RFC 3986 `unreserved` (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
///
/// A path value is always one segment: `/`, `?`, `#`, `%`, space and every non-ASCII byte are
/// escaped, so a value can never change the shape of the URL it is put in.
pub const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a value cannot be a path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SegmentProblem {
    /// The value formats to the empty string, which would collapse `/a//b`.
    Empty,
    /// The value is `.` or `..`, which a server or proxy would resolve as a relative path.
    DotSegment,
}

impl Display for SegmentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentProblem::Empty => f.write_str("must not be empty in a URL path"),
            SegmentProblem::DotSegment => {
                f.write_str("must not be `.` or `..`, which would change the URL path")
            }
        }
    }
}

/// Checks a formatted path value and appends it to `out`, percent-encoded as one segment.
pub fn push_segment(out: &mut String, value: &str) -> Result<(), SegmentProblem> {
    match value {
        "" => Err(SegmentProblem::Empty),
        "." | ".." => Err(SegmentProblem::DotSegment),
        _ => {
            out.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
            Ok(())
        }
    }
}

/// Percent-encodes a path value into a URL as it is formatted, remembering enough of it to
/// refuse an empty value, `.` and `..` afterwards (the rules of [`push_segment`]).
pub(crate) struct SegmentWriter<'a> {
    out: &'a mut String,
    len: usize,
    dots: bool,
}

impl<'a> SegmentWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        SegmentWriter {
            out,
            len: 0,
            dots: true,
        }
    }

    /// Why what was written cannot be a segment, with the value (which is then short).
    pub(crate) fn problem(&self) -> Option<(SegmentProblem, &'static str)> {
        match (self.len, self.dots) {
            (0, _) => Some((SegmentProblem::Empty, "")),
            (1, true) => Some((SegmentProblem::DotSegment, ".")),
            (2, true) => Some((SegmentProblem::DotSegment, "..")),
            _ => None,
        }
    }
}

impl fmt::Write for SegmentWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len += s.len();
        self.dots = self.dots && s.bytes().all(|b| b == b'.');
        self.out
            .extend(percent_encoding::utf8_percent_encode(s, PATH_SEGMENT));
        Ok(())
    }
}

/// Percent-encodes `value` as one path segment, without the empty and dot-segment checks.
///
/// ```
/// assert_eq!(restruct_core::encode_segment("a/b c%"), "a%2Fb%20c%25");
/// ```
pub fn encode_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Checks a formatted rest-of-path value (`<path..>`) and appends it to `out`: each
/// `/`-separated segment percent-encoded on its own, the `/` between them kept. Every segment
/// follows the rules of [`push_segment`], so `a//b`, a leading or trailing `/`, `.` and `..`
/// are refused; on an error nothing is appended.
pub fn push_segments(out: &mut String, value: &str) -> Result<(), SegmentProblem> {
    let start = out.len();
    for (i, segment) in value.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if let Err(problem) = push_segment(out, segment) {
            out.truncate(start);
            return Err(problem);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_rules() {
        let mut out = String::new();
        assert_eq!(push_segment(&mut out, ""), Err(SegmentProblem::Empty));
        assert_eq!(push_segment(&mut out, "."), Err(SegmentProblem::DotSegment));
        assert_eq!(
            push_segment(&mut out, ".."),
            Err(SegmentProblem::DotSegment)
        );
        assert_eq!(out, "");
        push_segment(&mut out, "...").unwrap();
        assert_eq!(out, "...");
    }

    #[test]
    fn segment_writer_encodes_as_push_segment_does() {
        use std::fmt::Write as _;
        for value in ["", ".", "..", "...", "a/b c", "é.", ".x", "sess_1"] {
            let mut written = String::from("/p/");
            let mut segment = SegmentWriter::new(&mut written);
            segment.write_str(value).unwrap();
            let problem = segment.problem().map(|(problem, _)| problem);
            let mut pushed = String::from("/p/");
            assert_eq!(problem, push_segment(&mut pushed, value).err(), "{value:?}");
            if problem.is_none() {
                assert_eq!(written, pushed, "{value:?}");
            }
        }
        // `..` in two pieces, as a `Display` impl may write it.
        let mut out = String::new();
        let mut segment = SegmentWriter::new(&mut out);
        segment.write_str(".").unwrap();
        segment.write_str(".").unwrap();
        assert_eq!(segment.problem(), Some((SegmentProblem::DotSegment, "..")));
    }

    #[test]
    fn segment_escapes_everything_outside_unreserved() {
        assert_eq!(encode_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(encode_segment("a:b@c+d"), "a%3Ab%40c%2Bd");
    }

    #[test]
    fn rest_segments_keep_slashes_and_refuse_empty_and_dots() {
        let mut out = String::from("/c/");
        push_segments(&mut out, "src/a b/lib.rs").unwrap();
        assert_eq!(out, "/c/src/a%20b/lib.rs");
        for bad in ["", "/a", "a/", "a//b", "a/./b", "../etc", "a/.."] {
            let mut out = String::from("/c/");
            assert!(push_segments(&mut out, bad).is_err(), "{bad:?}");
            assert_eq!(out, "/c/", "nothing appended for {bad:?}");
        }
        let mut out = String::new();
        push_segments(&mut out, "a%2Fb?c").unwrap();
        assert_eq!(out, "a%252Fb%3Fc");
    }
}
