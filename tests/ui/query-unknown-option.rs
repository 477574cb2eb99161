use restruct::endpoint;

#[endpoint(GET, "/issues")]
struct ListIssues {
    #[query(comma)]
    labels: Vec<String>,
}

fn main() {}
