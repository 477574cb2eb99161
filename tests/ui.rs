//! Compile-time errors of `#[endpoint]`, one mistake per file in `tests/ui/`; and in
//! `tests/ui-pass/`, code that must compile without a warning.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
    // Mistakes that only exist with the blocking client.
    if cfg!(feature = "blocking") {
        t.compile_fail("tests/ui-blocking/*.rs");
    }
    // Cases whose errors the `schema` feature adds to (its schema functions name the same
    // types again): checked as users without it see them.
    if !cfg!(feature = "schema") {
        t.compile_fail("tests/ui-no-schema/*.rs");
    }
}
