// `crate = path` names the facade from inside the generated items (and bon's builder), so a
// path relative to this module is refused: write it from the crate root.
mod sdk {
    pub use restruct as rt;
}

#[restruct::endpoint(GET, "/users", crate = sdk::rt)]
pub struct ListUsers {}

fn main() {
    let _: Option<sdk::rt::Client> = None;
}
