use restruct::endpoint;

#[endpoint(GET, "/issues")]
struct ListIssues {
    #[query(style = deepObject, explode = false)]
    filter: std::collections::BTreeMap<String, String>,
}

fn main() {}
