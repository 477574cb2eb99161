use restruct::endpoint;

#[endpoint(GET, "/users/<user_id/organizations")]
pub struct ListOrganizations {
    pub user_id: String,
}

fn main() {}
