#!/bin/sh
# stream-of.sh NAME-SEED: the stream a model of pipelines/ml100k.mk was
# trained on (and is evaluated with): split-, ctr-, side-, rside-, rimpl-
# or rtime-SEED.
name=$1
seed=${name##*-}
case $name in
	bfmrimpl*) echo "rimpl-$seed" ;;
	bfmrtime*) echo "rtime-$seed" ;;
	bfmrside*) echo "rside-$seed" ;;
	mf*|bfmr*) echo "split-$seed" ;;
	fmside*|deepfmside*|bfmside*) echo "side-$seed" ;;
	*) echo "ctr-$seed" ;;
esac
