use restruct::endpoint;

#[endpoint(PUT, "/avatars/<id>")]
struct PutAvatar {
    id: String,
    #[body(raw, content_type = "image/png")]
    image: Vec<u32>,
}

fn main() {}
