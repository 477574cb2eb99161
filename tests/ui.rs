//! Compile-time errors of `#[endpoint]`, one mistake per file in `tests/ui/`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    // Mistakes that only exist with the blocking client.
    if cfg!(feature = "blocking") {
        t.compile_fail("tests/ui-blocking/*.rs");
    }
}
