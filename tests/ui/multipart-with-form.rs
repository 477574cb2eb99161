use restruct::{endpoint, FilePart};

#[endpoint(POST, "/photos", form, multipart)]
struct UploadPhoto {
    photo: FilePart,
}

fn main() {}
