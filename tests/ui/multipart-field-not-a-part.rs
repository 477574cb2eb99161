use restruct::{endpoint, FilePart};

#[derive(serde::Serialize)]
struct Meta {
    title: String,
}

#[endpoint(POST, "/photos", multipart)]
struct UploadPhoto {
    meta: Meta,
    photo: FilePart,
}

fn main() {}
