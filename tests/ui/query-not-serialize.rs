use restruct::endpoint;

pub struct OrderBy(pub String);

#[endpoint(GET, "/users")]
pub struct ListUsers {
    #[query]
    pub order_by: OrderBy,
}

fn main() {}
