//! Compile errors of `#[validate(...)]`, `#[derive(Validate)]` and the builder.

#[test]
fn ui_validate() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/validate-*.rs");
    t.compile_fail("tests/ui/builder-*.rs");
}
