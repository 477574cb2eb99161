use restruct::endpoint;

#[endpoint(GET, "/photos", multipart)]
struct ListPhotos {
    #[query]
    album: String,
}

fn main() {}
