//! Writes the JSON Schema of every document and output (`cit_core::schema`) to standard
//! output: `make schema` saves it as `schema/cit.schema.json`.

fn main() {
    print!("{}", cit_core::schema::text());
}
