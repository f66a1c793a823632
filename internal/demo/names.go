package demo

// givenName is a first name and, for some, the name the person goes by.
type givenName struct {
	First     string
	Preferred string
}

// givenNames is a varied pool of first names drawn from many languages
// and traditions; a few carry a preferred name.
var givenNames = []givenName{
	{"Aaliyah", ""}, {"Abdullah", "Abdi"}, {"Adaeze", "Ada"},
	{"Alejandro", "Alex"}, {"Amara", ""}, {"Ananya", ""},
	{"Andrés", ""}, {"Anh", ""}, {"Aroha", ""}, {"Aylin", ""},
	{"Benjamin", "Ben"}, {"Bilal", ""}, {"Camila", "Cami"},
	{"Chidi", ""}, {"Chloé", ""}, {"Dae-jung", "DJ"}, {"Daniela", ""},
	{"Deshawn", ""}, {"Dmitri", ""}, {"Eleanor", "Nora"}, {"Elif", ""},
	{"Emeka", ""}, {"Esperanza", "Espe"}, {"Fatima", ""},
	{"Francesca", "Frankie"}, {"Gabriel", "Gabe"}, {"Grace", ""},
	{"Hana", ""}, {"Hiroshi", ""}, {"Ibrahim", ""}, {"Imani", ""},
	{"Isabella", "Bella"}, {"Jamal", ""}, {"Javier", ""},
	{"Jennifer", "Jen"}, {"Jia", ""}, {"Jonah", ""}, {"Kai", ""},
	{"Kalani", ""}, {"Katarzyna", "Kasia"}, {"Keanu", ""},
	{"Kwame", ""}, {"Lakshmi", ""}, {"Leilani", ""}, {"Liam", ""},
	{"Lucía", ""}, {"Malik", ""}, {"Mariam", ""}, {"Mateo", ""},
	{"Mei", ""}, {"Michael", "Mike"}, {"Nadia", ""}, {"Naveen", ""},
	{"Nkechi", ""}, {"Noor", ""}, {"Olumide", "Olu"}, {"Omar", ""},
	{"Priya", ""}, {"Quinn", ""}, {"Rafael", "Rafa"}, {"Rania", ""},
	{"Rashida", ""}, {"Rohan", ""}, {"Rosa", ""}, {"Samuel", "Sam"},
	{"Santiago", ""}, {"Sasha", ""}, {"Siddharth", "Sid"},
	{"Sione", ""}, {"Sofia", ""}, {"Tamar", ""}, {"Tariq", ""},
	{"Thandiwe", "Thandi"}, {"Theodore", "Teddy"}, {"Tomás", ""},
	{"Valentina", "Val"}, {"Wei", ""}, {"Xavier", ""}, {"Yara", ""},
	{"Yusuf", ""}, {"Zainab", ""}, {"Zoe", ""},
}

// familyNames is a varied pool of family names.
var familyNames = []string{
	"Abebe", "Adeyemi", "Ahmed", "Alvarez", "Anderson", "Bautista",
	"Becker", "Bianchi", "Brooks", "Castillo", "Chen", "Cohen",
	"Delgado", "Dubois", "Edwards", "Eze", "Fernandes", "Fitzgerald",
	"Gallagher", "García", "Goldberg", "Gupta", "Haddad", "Hernández",
	"Hoang", "Ibrahim", "Iyer", "Jackson", "Jensen", "Kahananui",
	"Kamau", "Kapoor", "Kaur", "Kim", "Kowalski", "Larsen", "Lee",
	"Lopez", "Mahmoud", "Mbeki", "Mendoza", "Morales", "Müller",
	"Nakamura", "Nguyen", "Novak", "O'Brien", "Okonkwo", "Olsen",
	"Ortiz", "Park", "Patel", "Petrov", "Quispe", "Ramirez", "Reyes",
	"Rossi", "Sato", "Schwartz", "Singh", "Sokolova", "Suzuki",
	"Tan", "Taufa", "Thompson", "Torres", "Tran", "Usman", "Vargas",
	"Vasquez", "Washington", "Wójcik", "Wu", "Yamamoto", "Yilmaz",
	"Zhang",
}

// areaCodes are real area codes paired with the fictional 555-01xx
// exchange, so no demo phone number reaches a real person.
var areaCodes = []string{
	"212", "312", "415", "503", "512", "617", "646", "702", "718",
	"773", "818", "917",
}

// providerSeed is the hand-written part of a directory provider; the
// generator adds an id, an NPI and a few clients.
type providerSeed struct {
	First, Last, Credentials, Pronouns, State, TimeZone, Bio string
}

// directoryProviders are the providers beyond the two with demo
// sign-ins, spread over several states for the directory.
var directoryProviders = []providerSeed{
	{"Luis", "Herrera", "LMFT", "he/him", "TX", "America/Chicago",
		"Bilingual couples and family therapist working in English and Spanish."},
	{"Aisha", "Bello", "LCSW", "she/her", "FL", "America/New_York",
		"Trauma-informed care for adults navigating grief and life transitions."},
	{"Kenji", "Watanabe", "PsyD", "he/him", "IL", "America/Chicago",
		"Cognitive behavioral therapy for anxiety, OCD and insomnia."},
	{"Rowan", "Ellis", "LMHC", "they/them", "WA", "America/Los_Angeles",
		"Affirming therapy for LGBTQ+ adults and young adults."},
	{"Miriam", "Feldman", "PhD", "she/her", "MA", "America/New_York",
		"Psychodynamic therapy with a focus on relationships and self-worth."},
	{"Tyrone", "Mitchell", "LPC", "he/him", "CO", "America/Denver",
		"Men's mental health, burnout and career transitions."},
	{"Priyanka", "Raman", "LCSW", "she/her", "NJ", "America/New_York",
		"Perinatal and postpartum mental health; parents of young children."},
	{"Hannah", "Lindqvist", "LPCC", "she/her", "MN", "America/Chicago",
		"Eating disorders recovery and body image, using DBT skills."},
	{"Marcus", "Oyelaran", "PsyD", "he/him", "GA", "America/New_York",
		"Culturally responsive therapy for depression and racial stress."},
	{"Sofía", "Guerrero", "LMFT", "she/her", "AZ", "America/Phoenix",
		"Family systems therapy for blended families and teens' parents."},
	{"Daniel", "Kaplan", "LICSW", "he/him", "MA", "America/New_York",
		"Substance use recovery and harm reduction, individual sessions."},
	{"Noelani", "Akana", "LMHC", "she/her", "HI", "Pacific/Honolulu",
		"Mindfulness-based therapy for stress, chronic illness and pain."},
	{"Jordan", "Whitfield", "LPC", "he/they", "OR", "America/Los_Angeles",
		"Neurodivergent-affirming therapy for ADHD and autistic adults."},
}
