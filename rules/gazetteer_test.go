package rules

import "github.com/wirewatch/wirewatch/geo"

// GeoNames ids of the places of testGazetteer.
const (
	idAF        = 1149361
	idBadghis   = 1147707
	idHerat     = 1140025
	idFarah     = 1142263
	idGhowr     = 1141103
	idKabulProv = 1138957
	idQalaINaw  = 1129867
	idHeratCity = 1140026
	idKabul     = 1138958
	idPK        = 1168579
	idIR        = 130758
	idTJ        = 1220409
	idGE        = 614540
	idUS        = 6252001
	idGeorgiaUS = 4197000
	idYork      = 2633352
	idNewYork   = 5128581
)

// testGazetteer is a small stand-in for the embedded gazetteer: western
// Afghanistan, Kabul, the neighbours, an ambiguous Georgia, and York and
// New York for longest matches.
func testGazetteer() *geo.Gazetteer {
	places := []geo.Place{
		{ID: idAF, Name: "Afghanistan", Level: geo.LevelCountry, Country: "AF", Population: 37172386},
		{ID: idBadghis, Name: "Badghis", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.02"},
		{ID: idHerat, Name: "Herat", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.11"},
		{ID: idFarah, Name: "Farah", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.06"},
		{ID: idGhowr, Name: "Ghowr", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.09"},
		{ID: idKabulProv, Name: "Kabul", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.13"},
		{ID: idQalaINaw, Name: "Qala i Naw", Level: geo.LevelCity, Country: "AF", Admin1: "AF.02", Population: 9000},
		{ID: idHeratCity, Name: "Herat", Level: geo.LevelCity, Country: "AF", Admin1: "AF.11", Population: 272806},
		{ID: idKabul, Name: "Kabul", Level: geo.LevelCity, Country: "AF", Admin1: "AF.13", Population: 4434550},
		{ID: idPK, Name: "Pakistan", Level: geo.LevelCountry, Country: "PK"},
		{ID: idIR, Name: "Iran", Level: geo.LevelCountry, Country: "IR"},
		{ID: idTJ, Name: "Tajikistan", Level: geo.LevelCountry, Country: "TJ"},
		{ID: idGE, Name: "Georgia", Level: geo.LevelCountry, Country: "GE"},
		{ID: idUS, Name: "United States", Level: geo.LevelCountry, Country: "US"},
		{ID: idGeorgiaUS, Name: "Georgia", Level: geo.LevelAdmin1, Country: "US", Admin1: "US.GA"},
		{ID: idYork, Name: "York", Level: geo.LevelCity, Country: "GB", Admin1: "GB.ENG", Population: 153717},
		{ID: idNewYork, Name: "New York City", Level: geo.LevelCity, Country: "US", Admin1: "US.NY", Population: 8804190},
	}
	names := []geo.Name{
		{Text: "Afghanistan", Places: []int64{idAF}},
		{Text: "Badghis", Places: []int64{idBadghis}},
		{Text: "Herat", Places: []int64{idHeratCity, idHerat}},
		{Text: "Farah", Places: []int64{idFarah}},
		{Text: "Ghowr", Places: []int64{idGhowr}},
		{Text: "Ghor", Places: []int64{idGhowr}},
		{Text: "Kabul", Places: []int64{idKabul, idKabulProv}},
		{Text: "Qala i Naw", Places: []int64{idQalaINaw}},
		{Text: "Qal‘ah-ye Now", Places: []int64{idQalaINaw}},
		{Text: "Pakistan", Places: []int64{idPK}},
		{Text: "Iran", Places: []int64{idIR}},
		{Text: "Tajikistan", Places: []int64{idTJ}},
		{Text: "United States", Places: []int64{idUS}},
		{Text: "Georgia", Places: []int64{idGE, idGeorgiaUS}},
		{Text: "York", Places: []int64{idYork}},
		{Text: "New York", Places: []int64{idNewYork}},
	}
	return geo.New(places, names)
}
