// Validates an OpenAPI document against the OpenAPI 3 schema and its own references:
// node validate.js FILE; exit 0 when valid, 1 with the reasons otherwise.
const SwaggerParser = require("@apidevtools/swagger-parser");

SwaggerParser.validate(process.argv[2])
  .then((api) => {
    console.log(`valid: ${api.info.title} ${api.info.version}, ${Object.keys(api.paths).length} paths`);
  })
  .catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
