// dotprompt imports Handlebars from this path; importing the same file shares one instance (one
// partial registry) and keeps a single copy in the browser bundle.
declare module "handlebars/dist/cjs/handlebars.js" {
  import Handlebars from "handlebars";
  export default Handlebars;
}
