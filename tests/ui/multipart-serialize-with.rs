use restruct::{endpoint, FilePart};

fn upper<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_uppercase())
}

#[endpoint(POST, "/photos", multipart)]
struct UploadPhoto {
    #[serde(serialize_with = "upper")]
    title: String,
    photo: FilePart,
}

fn main() {}
