use restruct::{endpoint, Api};

struct Acme;

impl Api for Acme {
    type Error = serde_json::Value;
    const HEADERS: &'static [(&'static str, &'static str)] = &[("Acme Version", "1")];
}

#[endpoint(GET, "/widgets", api = Acme)]
struct ListWidgets {}

fn main() {}
