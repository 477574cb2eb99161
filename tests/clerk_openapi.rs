//! The Clerk SDK of `examples/clerk/api.rs` against Clerk's published OpenAPI document
//! (`examples/clerk/specs/`), and the document restruct exports from it.

#[path = "../examples/clerk/api.rs"]
mod api;

use restruct::openapi::{self, Document, Info};

const SPEC: &str = include_str!("../examples/clerk/specs/clerk-bapi-2025-04-10.yml");

#[test]
fn every_clerk_endpoint_matches_the_clerk_spec() {
    let report = openapi::check(SPEC, &api::endpoints()).unwrap();
    println!("{report}");
    assert_eq!(report.endpoints.len(), 13);
    assert!(report.is_ok(), "{report}");
}
