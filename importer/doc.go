// Package importer reads a team's data from the CSV files a care
// management system exports (carers, clients and their care) into a
// roster.Instance, the document rounds plans.
//
// Each file has a header row whose names are matched case-blind
// (docs/FORMAT.md, "Importing CSV", lists them); a column the file does not
// take is refused, so that a misspelt header is caught rather than
// ignored. Places come from latitude and longitude, else a postcode looked
// up in the ONS Postcode Directory file the user supplies, else an address
// looked up in an OpenStreetMap extract's addr:* tags: a row that none of
// them places is an error, and nothing is guessed.
//
// Every problem is a RowError naming the file, the line and the column;
// Read collects them all (up to MaxErrors) into Errors. Names and addresses
// are carried into the instance for people's eyes only: no error message
// repeats them, nor a postcode or a place.
package importer
