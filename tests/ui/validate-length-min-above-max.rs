#[derive(restruct::Validate)]
struct Body {
    #[validate(length(min = 64, max = 1))]
    template_name: String,
}

fn main() {}
