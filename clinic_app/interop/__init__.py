"""Exchange with a clinic's other systems: reading a patient list (CSV) and writing a FHIR R4
export. Pure: fed and read as plain records; no store, services or GUI (import contracts)."""
