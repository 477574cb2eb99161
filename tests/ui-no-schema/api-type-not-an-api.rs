use restruct::endpoint;

struct Acme;

#[endpoint(GET, "/widgets", api = Acme)]
struct ListWidgets {}

fn main() {}
