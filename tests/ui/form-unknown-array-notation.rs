use restruct::endpoint;

#[endpoint(POST, "/v1/customers", form(arrays = repeat))]
struct CreateCustomer {
    expand: Vec<String>,
}

fn main() {}
