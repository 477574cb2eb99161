use restruct::endpoint;

#[derive(serde::Deserialize)]
struct Page {
    html: String,
}

#[endpoint(GET, "/page", response = Page, decode = text)]
struct GetPage {}

fn main() {}
