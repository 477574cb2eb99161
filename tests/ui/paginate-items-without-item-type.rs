use restruct::endpoint;

#[derive(serde::Deserialize)]
pub struct OrganizationList {
    pub data: Vec<serde_json::Value>,
    pub total_count: u64,
}

#[endpoint(GET, "/organizations", response = OrganizationList,
           paginate(offset, items = data, total = total_count))]
pub struct ListOrganizations {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

fn main() {}
