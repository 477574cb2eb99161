use restruct::endpoint;

// Four mistakes: one build reports all of them, each at its own token.
#[endpoint(get, "/users/<user_id>/{org}", respone = ())]
pub struct GetUser {
    pub user_id: Option<String>,
}

fn main() {}
