use restruct::endpoint;

#[derive(serde::Deserialize)]
pub struct OrganizationList {
    pub data: Vec<serde_json::Value>,
    pub total_count: u64,
}

#[endpoint(GET, "/organizations", response = OrganizationList,
           paginate(offset, items = data, item = serde_json::Value, total = total))]
pub struct ListOrganizations {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

fn main() {}
