package api

// slotJSON is one open slot.
type slotJSON struct {
	Start      string `json:"start"`
	End        string `json:"end"`
	LocalStart string `json:"local_start"`
	LocalEnd   string `json:"local_end"`
	Location   string `json:"location"`
	OfficeID   string `json:"office_id"`
}

// slotListJSON is the answer to GET /slots.
type slotListJSON struct {
	TimeZone string     `json:"time_zone"`
	Items    []slotJSON `json:"items"`
}
