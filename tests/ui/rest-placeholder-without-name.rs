use restruct::endpoint;

#[endpoint(GET, "/repos/<owner>/contents/<..>")]
struct GetContents {
    owner: String,
    path: String,
}

fn main() {}
