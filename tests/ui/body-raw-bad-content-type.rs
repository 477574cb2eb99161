use restruct::endpoint;

#[endpoint(PUT, "/avatars/<id>")]
struct PutAvatar {
    id: String,
    #[body(raw, content_type = "png")]
    image: Vec<u8>,
}

fn main() {}
