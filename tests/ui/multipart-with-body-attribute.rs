use restruct::endpoint;

#[endpoint(POST, "/photos", multipart)]
struct UploadPhoto {
    #[body]
    photo: Vec<u8>,
}

fn main() {}
