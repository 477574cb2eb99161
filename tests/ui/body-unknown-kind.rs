use restruct::endpoint;

#[endpoint(POST, "/notes")]
struct PostNote {
    #[body(text)]
    text: String,
}

fn main() {}
