// Package roster is the domain of home-care rounds: the carers, clients and
// visits of one locality's day (an Instance), the rounds built for them (a
// Plan), the JSON format both travel in, validation of that input with field
// paths, and Check, an independent checker that re-derives every time and
// every constraint of a plan from the instance and a travel matrix.
//
// Times of day are wall-clock times on the planning day, held as Clock
// (seconds since local midnight) and written in JSON as "HH:MM" or
// "HH:MM:SS". Durations are whole minutes in the input ("duration_min") and
// whole seconds in a plan ("travel_s"). Distances are metres.
//
// The package depends on the standard library only, so that every other
// package (geo, optimiser, api, cmd) can speak in its terms.
package roster
