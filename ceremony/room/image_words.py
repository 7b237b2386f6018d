"""The 1024 words of the image's word code, none of them a share word.

The record's no-secret check refuses three SLIP-39 words in a row (full words or their first
four letters), so the code that names the ISO's hash must not be made of them. These are
words of the BIP-39 English list (facts: a published list of 2048 words, each known by its
first four letters), less every word that is, or shares its first four letters with, a
SLIP-39 word, every word of three letters, and every word of hex letters only; of the rest
the 1024 that look least like any SLIP-39 word (closest difflib ratio, then alphabetical),
in alphabetical order. A test holds the list to this against the SLIP-39 list.
"""

from __future__ import annotations

from typing import Final

__all__ = ["IMAGE_WORDS"]

IMAGE_WORDS: Final[tuple[str, ...]] = tuple(
    """
abandon ability able about above absent absorb abstract absurd abuse access accident account
accuse achieve acoustic actor actual addict aerobic affair afford ahead aisle alert alley
allow almost alone also alter amateur among anchor angle ankle announce another antique
apology appear apple approve april arctic armor army arrange arrest arrive arrow artefact
assault asset assist assume asthma athlete atom attack attend attitude attract audit author
auto autumn avocado awake awesome awful baby bachelor bacon badge balance balcony ball
bamboo banana banner barely barrel base basic basket battle beach bean beauty before begin
behind belt bench betray better between bicycle bird bitter blade blame blast bleak blood
blossom blouse blur blush board boat boil bomb bone bonus book boost borrow boss bottom
brain brass breeze brick bright brisk broccoli bronze brush bubble buddy buffalo bulk bullet
bunker burger burst business butter buzz cabbage cabin cable cactus cake call calm cancel
candy canoe canvas carry cart cash casino castle casual catalog catch cattle celery cement
census cereal certain chair chalk chaos chapter chase chat cheap cheese chef cherry chicken
chief child chimney choice choose chronic chuckle chunk churn cigar cinnamon circle citizen
city claim clap clarify claw clerk clever click cliff clip clown clump clutch coach coconut
code coffee coil coin collect color combine come comfort comic common concert conduct
confirm congress connect consider control convince cook cool copper copy core correct cotton
couch couple cousin coyote crack cram crane crash crater crawl cream creek crop cross cruel
cruise crumble cube cupboard current curtain curve cushion cute cycle damp daring dash dawn
debate deer defense define defy degree delay demise denial dentist deposit depth deputy
derive despair develop dial diamond diary dice diesel differ digital dignity dinner dinosaur
direct dirt disorder divide dizzy doctor doll dolphin donate donkey donor door dose double
draft drastic draw drill drip drop drum dumb dune during dust dutch duty eager eagle easily
east economy effort eight embark embody embrace emotion empower enable enact engine enhance
enlist enough enrich enroll ensure entire erosion error erupt essay essence eternal ethics
evolve excite exhibit exile exist exit expire expose fabric faculty faith fall farm fashion
fault feature february federal feel female fence festival fetch fever field figure file film
fine finish first flag flee flight flock floor flower fluid flush foam foil fold follow food
foot fork forum fossil frame frog front frown fruit fuel funny furnace fury future gadget
gallery garment gate gauge gaze gentle ghost giant gift giggle giraffe girl give glare glide
gloom glory glove glow glue goddess good goose gospel gossip govern gown grab grape green
grid grit grunt guide habit half hammer harbor hard harsh heavy hedgehog height hello helmet
hero hidden high hill hint hire hobby hockey hold hole hollow honey hood hope horror horse
host hotel hover humble humor hundred hungry hurdle hurry hurt icon ignore illness imitate
immense immune impose inch indoor inflict inhale initial inner innocent input inquiry insane
inspire intact into invest invite iron issue jaguar jazz jealous jeans jelly joke journey
judge jungle kangaroo keen keep ketchup kick kingdom kiss kite kitten kiwi knee knock know
label labor lake laptop later latin laugh lava lawn layer lazy left leisure lemon lens
leopard lesson letter liar life light limb limit link lion little load lobster logic lonely
long loop lottery love luggage lumber magic magnet major mammal mango maple marble margin
marine marriage mask mass master matrix matter maze meadow measure meat mechanic melody melt
menu merge merry mesh message middle midnight milk million mimic mind minor minute mirror
misery miss mistake monitor monkey monster month moon more mosquito motion motor muffin
mushroom mutual myself mystery myth naive name napkin narrow nasty nature near need neglect
nephew nest neutral never next nice night noble noise nominee noodle north nose notable note
nothing notice novel nurse obey oblige obscure obvious occur october odor offer office okay
olive onion online only open opera opinion oppose option orchard orient original orphan
ostrich outdoor output outside oval oxygen ozone pact paddle page pair palace palm panda
panel panic parrot pass patch path pattern pause pave pear people pepper person phone piano
picnic pigeon pioneer pizza pledge plug poem poet point polar pole police pond pony pool
popular portion position possible post potato pottery poverty powder power prefer pretty
price print produce project proof property protect proud pudding pull pulp punch pupil puppy
purity purse push puzzle pyramid quality question quiz quote rabbit raccoon rack radio rally
ramp rare rate razor rebel recipe reduce reflect reform refuse region release relief rely
renew rent reopen report retire return ribbon rice rifle right rigid riot ripple risk ritual
road robot robust roof rookie room rotate rubber rude runway rural saddle sadness safe sail
sausage scale scheme scissors scorpion scrub seat second seed seek select seminar sentence
series service settle setup seven shallow shield shock shoe shove shrug shuffle sibling
siege sight sign silk siren size skate sketch skirt skull slab slam sleep slender slot smile
smooth snow soap soccer sock soda solid solve someone song soon soup spatial spawn sphere
sponsor spoon spot spread squirrel stage stamp steel stereo stomach stone stool stove street
strong struggle student stumble subway success such sudden suffer suggest summer sunny
sunset supply supreme surge surround suspect sustain swallow swamp swap swarm sweet swift
sword syrup table tail talk tape target tattoo tell tennis theme then this thought thrive
throw tide tiger tiny tissue title tobacco today toddler toilet token tomato tomorrow tone
tongue tonight tool tooth topple torch tornado tortoise toss tourist toward town trade
tragic trap tray tree tribe trigger trim trophy truck truly trumpet tube tumble tuna tunnel
turkey turn turtle twelve twenty unable unaware undo uniform unique unit unlock until unveil
update uphold upon upset urban urge usage useful useless utility vacant vacuum valley vapor
vast vehicle vendor verb version vessel viable vibrant vicious village virus vivid volcano
voyage wage wagon wait walk wall warfare warrior wash wasp wave wear wedding weekend weird
whale what wheel when where whip whisper wide wife will wink wise wish wonder wood wool word
world worry wreck wrestle wrong yard yellow young youth zebra zone
""".split()
)
