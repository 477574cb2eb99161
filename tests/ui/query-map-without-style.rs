use restruct::endpoint;

#[endpoint(GET, "/issues")]
struct ListIssues {
    #[query]
    filter: std::collections::HashMap<String, String>,
}

fn main() {}
