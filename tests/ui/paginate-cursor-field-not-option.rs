use restruct::endpoint;

#[derive(serde::Deserialize)]
pub struct Charges {
    pub data: Vec<serde_json::Value>,
    pub has_more: bool,
}

#[endpoint(GET, "/charges", response = Charges,
           paginate(cursor, items = data, item = serde_json::Value, has_more = has_more, next_from_last = id))]
pub struct ListCharges {
    #[paginate(cursor)]
    pub starting_after: String,
}

fn main() {}
