use restruct::endpoint;

#[endpoint(POST, "/sessions/<sesion_id>/tokens/<template_name>")]
pub struct CreateSessionToken {
    pub session_id: String,
    pub template_name: String,
}

fn main() {}
