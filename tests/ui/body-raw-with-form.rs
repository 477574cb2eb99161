use restruct::endpoint;

#[endpoint(POST, "/notes", form)]
struct PostNote {
    #[body(raw, content_type = "text/plain")]
    text: String,
}

fn main() {}
